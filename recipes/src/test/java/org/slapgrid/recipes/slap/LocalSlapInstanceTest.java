package org.slapgrid.recipes.slap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.recipes.support.Modes;

class LocalSlapInstanceTest {

    @TempDir
    Path dir;

    @Test
    void readsTheConfigurationWithDefaults() throws Exception {
        Files.writeString(dir.resolve("i.json"), """
                {"node-id": "N", "partition-id": "slappart1", "parameters": {"a": null, "b": [1]},
                 "shared-instances": [{"slave_reference": "s1"}]}
                """);
        InstanceConfiguration c = LocalSlapInstance.beside(dir.resolve("i.json")).configuration();
        assertThat(c.nodeId()).isEqualTo("N");
        assertThat(c.softwareType()).isEqualTo("default");
        assertThat(c.requestedState()).isEqualTo("started");
        assertThat(c.parameters()).containsEntry("a", null).containsEntry("b", List.of(1));
        assertThat(c.sharedInstances()).containsExactly(Map.of("slave_reference", "s1"));
        assertThat(c.ipv4()).isEmpty();
    }

    @Test
    void publishesAndRequestsIntoPrivateFilesWrittenAtomically() throws Exception {
        Files.writeString(dir.resolve("i.json"), "{}");
        LocalSlapInstance local = LocalSlapInstance.beside(dir.resolve("i.json"));
        local.publish(Map.of("url", "http://a"));
        local.publishShared("s1", Map.of("url", "http://s"));
        local.publish(Map.of("url", "http://b"));
        assertThat(local.published()).containsExactly(Map.entry("url", "http://b"));
        assertThat(Files.readString(local.publishedFile())).contains("http://s");
        assertThat(Modes.get(local.publishedFile())).isEqualTo(0600);

        ChildInstance child = local.request(new ChildRequest("c", "sr", null, Map.of("p", 1), Map.of(), "stopped", false));
        assertThat(child.state()).isEqualTo("stopped");
        assertThat(child.connection()).isEmpty();
        assertThat(local.requested()).containsOnlyKeys("c");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file left").containsExactlyInAnyOrder("i.json", "published.json", "requested.json");
        }
    }

    @Test
    void malformedFilesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> LocalSlapInstance.beside(dir.resolve("missing.json")).configuration())
                .isInstanceOf(SlapInstanceException.class).hasMessageContaining("missing.json");
        Files.writeString(dir.resolve("list.json"), "[1]");
        assertThatThrownBy(() -> LocalSlapInstance.beside(dir.resolve("list.json")).configuration())
                .isInstanceOf(SlapInstanceException.class).hasMessageContaining("JSON object");
        Files.writeString(dir.resolve("ips.json"), "{\"ipv4\": \"10.0.0.1\"}");
        assertThatThrownBy(() -> LocalSlapInstance.beside(dir.resolve("ips.json")).configuration())
                .isInstanceOf(SlapInstanceException.class).hasMessageContaining("ipv4");
    }
}
