package org.slapgrid.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {

    @TempDir
    Path dir;

    private final NodeLayout layout = new NodeLayout(Path.of("/prefix"), false);

    private NodeConfig load(String text) throws IOException {
        Path file = dir.resolve("slapos.cfg");
        Files.writeString(file, text);
        return new NodeConfigLoader(layout).load(file);
    }

    @Test
    void minimalFileTakesDefaultsFromTheLayout() throws IOException {
        NodeConfig c = load("[slapos]\nmaster_url = http://127.0.0.1:5050\nnode_id = node-1\n");
        assertThat(c.masterUrl()).isEqualTo("http://127.0.0.1:5050");
        assertThat(c.nodeId()).isEqualTo("node-1");
        assertThat(c.softwareRoot()).isEqualTo(Path.of("/prefix/opt/slapgrid"));
        assertThat(c.instanceRoot()).isEqualTo(Path.of("/prefix/srv/slapgrid"));
        assertThat(c.credentialsFile()).isEqualTo(dir.resolve("node.secret"));
        assertThat(c.partitionCount()).isEqualTo(10);
        assertThat(c.periodicity()).isEqualTo(Duration.ofDays(1));
        assertThat(c.stateDirectory()).isEqualTo(Path.of("/prefix/srv/slapgrid/var"));
    }

    @Test
    void everyOptionIsRead() throws IOException {
        NodeConfig c = load("""
                [slapos]
                master_url = https://master.example:8443/
                computer_id = COMP-7
                software_root = sw
                instance_root = /data/inst
                partition_amount = 3
                ipv4_network = 127.5.0.0/24
                periodicity = 60
                partition_timeout = 120
                parallelism = 4
                """);
        assertThat(c.nodeId()).isEqualTo("COMP-7");
        assertThat(c.softwareRoot()).isEqualTo(dir.resolve("sw"));
        assertThat(c.instanceRoot()).isEqualTo(Path.of("/data/inst"));
        assertThat(c.partitionCount()).isEqualTo(3);
        assertThat(c.ipv4Network()).isEqualTo("127.5.0.0/24");
        assertThat(c.periodicity()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.partitionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.parallelism()).isEqualTo(4);
    }

    @Test
    void errorsNameTheFileSectionAndOption() {
        assertThatThrownBy(() -> load("[slapos]\nnode_id = n\n"))
                .hasMessageContaining("slapos.cfg").hasMessageContaining("[slapos] master_url").hasMessageContaining("missing");
        assertThatThrownBy(() -> load("[slapos]\nmaster_url = ftp://x\nnode_id = n\n"))
                .hasMessageContaining("[slapos] master_url").hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> load("[slapos]\nmaster_url = http://x\nnode_id = n\npartition_amount = many\n"))
                .hasMessageContaining("[slapos] partition_amount").hasMessageContaining("'many'");
        assertThatThrownBy(() -> load("[slapos]\nmaster_url = http://x\nnode_id = n\npartition_amount = 0\n"))
                .hasMessageContaining("from 1 to 10000");
        assertThatThrownBy(() -> load("[slapos]\nmaster_url = http://x\nnode_id = n\nipv4_network = 10.0.0.0/8\n"))
                .hasMessageContaining("[slapos] ipv4_network").hasMessageContaining("loopback");
        assertThatThrownBy(() -> load("[slapos]\nmaster_url = http://x\nnode_id = a b\n"))
                .hasMessageContaining("[slapos] node_id");
        assertThatThrownBy(() -> load("[other]\nx = 1\n")).hasMessageContaining("missing section [slapos]");
        assertThatThrownBy(() -> new NodeConfigLoader(layout).load(dir.resolve("absent.cfg")))
                .hasMessageContaining("absent.cfg").hasMessageContaining("no node configuration");
    }

    @Test
    void unknownOptionsAreReportedAsWarnings() throws IOException {
        Path file = dir.resolve("slapos.cfg");
        Files.writeString(file, "[slapos]\nmaster_url = http://x\nnode_id = n\npartiton_amount = 3\n");
        NodeConfigLoader loader = new NodeConfigLoader(layout);
        loader.load(file);
        assertThat(loader.warnings()).singleElement().asString().contains("partiton_amount");
    }

    @Test
    void theOptionsOtherPartsOfTheNodeReadAreKnown() throws IOException {
        Path file = dir.resolve("slapos.cfg");
        Files.writeString(file, "[slapos]\nmaster_url = http://x\nnode_id = n\ntags = db eu\ncompliance_interval = 600\n");
        NodeConfigLoader loader = new NodeConfigLoader(layout);
        loader.load(file);
        assertThat(loader.warnings()).as("tags (NodeFacts) and compliance_interval (ComplianceSchedule)").isEmpty();
    }
}
