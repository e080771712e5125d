package org.slapgrid.node.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;

/** The two {@code [slapos]} options the compliance package reads itself: compliance_interval and tags. */
class ComplianceOptionsTest {

    private static final String MINIMAL = "[slapos]\nmaster_url = http://127.0.0.1:5050\nnode_id = node-1\n";

    @TempDir
    Path dir;

    private Path cfg(String text) throws IOException {
        Path file = dir.resolve("slapos.cfg");
        Files.writeString(file, text);
        return file;
    }

    private NodeConfig config(String extra) throws IOException {
        return new NodeConfigLoader(new NodeLayout(dir, false)).load(cfg(MINIMAL + extra));
    }

    @Test
    void theIntervalIsADayUnlessSetAndZeroIsNever() throws IOException {
        assertThat(ComplianceSchedule.interval(config(""))).isEqualTo(Duration.ofDays(1));
        assertThat(ComplianceSchedule.interval(config("compliance_interval =   \n"))).isEqualTo(Duration.ofDays(1));
        assertThat(ComplianceSchedule.interval(config("compliance_interval = 3600\n"))).isEqualTo(Duration.ofHours(1));
        assertThat(ComplianceSchedule.of(config("compliance_interval = 0\n")).enabled()).isFalse();
    }

    @Test
    void aBadIntervalNamesTheFileSectionAndOption() throws IOException {
        NodeConfig c = config("compliance_interval = -5\n");
        assertThatThrownBy(() -> ComplianceSchedule.interval(c)).isInstanceOf(NodeConfigException.class)
                .hasMessage(c.file() + ": [slapos] compliance_interval: expected a number of seconds (0: never), got '-5'");
    }

    @Test
    void tagsAreTheWordsOfTheOption() throws IOException {
        assertThat(NodeFacts.tags(cfg(MINIMAL + "tags = sm  pod01\tdb\n"))).containsExactly("sm", "pod01", "db");
        assertThat(NodeFacts.tags(cfg(MINIMAL))).isEmpty();
        assertThat(NodeFacts.tags(dir.resolve("absent.cfg"))).isEmpty();
        assertThat(NodeFacts.tags(null)).isEmpty();
    }

    @Test
    void aBadTagIsAnErrorNamingTheFileSectionAndOption() throws IOException {
        Path bad = cfg(MINIMAL + "tags = ok no/slash\n");
        assertThatThrownBy(() -> NodeFacts.tags(bad)).isInstanceOf(NodeConfigException.class)
                .hasMessageStartingWith(bad + ": [slapos] tags: ");
    }
}
