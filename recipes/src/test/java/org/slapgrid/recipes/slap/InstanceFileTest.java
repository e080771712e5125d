package org.slapgrid.recipes.slap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node writes is what the recipes read: one codec, both ways. */
class InstanceFileTest {

    @TempDir
    Path tmp;

    @Test
    void whatTheNodeEncodesTheRecipesDecodeAndEqualConfigurationsGiveEqualFiles() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("z", 1);
        params.put("a", Map.of("nested", List.of("x", true)));
        InstanceConfiguration c = new InstanceConfiguration("node-1", "slappart3", "file:///sr/software.cfg", "db",
                "stopped", params, List.of("127.1.0.4"), List.of(), "db", "root", "i-42", List.of());
        Path file = tmp.resolve("instance.json");
        Files.writeString(file, InstanceFile.encode(c));
        assertThat(LocalSlapInstance.beside(file).configuration()).isEqualTo(c);

        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("a", params.get("a"));
        reversed.put("z", 1);
        assertThat(InstanceFile.encode(new InstanceConfiguration("node-1", "slappart3", "file:///sr/software.cfg", "db",
                "stopped", reversed, List.of("127.1.0.4"), List.of(), "db", "root", "i-42", List.of())))
                .as("canonical: key order does not matter").isEqualTo(InstanceFile.encode(c));
    }

    @Test
    void aClusterMembersFileCarriesItsClusterAndOtherFilesDoNot() throws Exception {
        InstanceConfiguration lone = new InstanceConfiguration("node-1", "slappart3", "file:///sr/software.cfg", "db",
                "started", Map.of(), List.of(), List.of(), "db", "db", "i-1", List.of());
        assertThat(InstanceFile.encode(lone)).doesNotContain("\"cluster\"");
        Map<String, Object> cluster = Map.of("cluster", "c", "role", "db", "index", 1, "primary", "db.0",
                "members", List.of(Map.of("name", "db.0", "node", "n1"), Map.of("name", "db.1", "node", "n2")));
        InstanceConfiguration member = new InstanceConfiguration("node-1", "slappart3", "file:///sr/software.cfg", "db",
                "started", Map.of(), List.of(), List.of(), "c/db.1", "c/db.1", "i-2", List.of(), cluster);
        Path file = tmp.resolve("instance.json");
        Files.writeString(file, InstanceFile.encode(member));
        assertThat(LocalSlapInstance.beside(file).configuration().cluster()).isEqualTo(cluster);
    }

    @Test
    void aKeyOfTheWrongTypeIsAnErrorNamingIt() {
        assertThatThrownBy(() -> InstanceFile.decode(Map.of("parameters", "not an object")))
                .isInstanceOf(SlapInstanceException.class).hasMessageContaining("'parameters'");
    }
}
