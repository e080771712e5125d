package org.slapgrid.recipes.slap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.testing.FakeBuildout;
import org.slapgrid.recipes.testing.FakeBuildoutCase;

/** slapconfiguration, publish and request through the local file-backed SlapInstance. */
class SlapRecipesTest extends FakeBuildoutCase {

    LocalSlapInstance local;

    @BeforeEach
    void setUp() throws Exception {
        writeInstance(Map.of("ram", 2048, "name", "", "tags", List.of("a", "b"), "weird=key", "x", "nested", Map.of("k", true)));
        buildout.section("slap-connection", "instance-file", "instance.json", "requested-state", "stopped");
        local = LocalSlapInstance.beside(dir.resolve("instance.json"));
    }

    private void writeInstance(Map<String, Object> parameters) throws Exception {
        Map<String, Object> doc = new java.util.TreeMap<>();
        doc.put("node-id", "COMP-7");
        doc.put("partition-id", "slappart3");
        doc.put("software-release-url", "https://example.invalid/software.cfg");
        doc.put("software-type", "default");
        doc.put("requested-state", "started");
        doc.put("parameters", parameters);
        doc.put("ipv4", List.of("10.0.0.9", "10.0.0.3"));
        doc.put("ipv6", List.of("fd00::3"));
        doc.put("instance-title", "My instance");
        doc.put("children", Map.of("db", Map.of("state", "started", "connection", Map.of("url", "mysql://db", "user", "u")),
                "ser", Map.of("connection", Map.of("_", "{\"url\": \"http://s\", \"n\": 3}"))));
        Files.writeString(dir.resolve("instance.json"), Json.writePretty(doc));
    }

    @Test
    void slapconfigurationExposesParametersOverDefaultsAndInstanceFacts() throws Exception {
        buildout.section("slap-configuration", "recipe", "slapos.cookbook:slapconfiguration",
                "configuration.name", "John Doe", "configuration.ram", "1024", "configuration.other", "kept");
        buildout.install("slap-configuration");
        var options = buildout.section("slap-configuration");
        assertThat(options.get("configuration.ram")).isEqualTo("2048");
        assertThat(options.get("configuration.name")).as("an empty parameter counts as no value").isEqualTo("John Doe");
        assertThat(options.get("configuration.other")).isEqualTo("kept");
        assertThat(options.get("configuration.tags")).isEqualTo("[\"a\",\"b\"]");
        assertThat(options.has("configuration.weird=key")).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> configuration = (Map<String, Object>) options.getObject("configuration");
        assertThat(configuration).containsEntry("ram", 2048).containsEntry("weird=key", "x")
                .containsEntry("nested", Map.of("k", true)).containsEntry("name", "John Doe");
        assertThat(options.get("slap-computer-id")).isEqualTo("COMP-7");
        assertThat(options.get("slap-computer-partition-id")).isEqualTo("slappart3");
        assertThat(options.get("slap-software-type")).isEqualTo("default");
        assertThat(options.get("instance-state")).isEqualTo("started");
        assertThat(options.get("instance-title")).isEqualTo("My instance");
        assertThat(options.get("root-instance-title")).isEqualTo("UNKNOWN");
        assertThat(options.get("ipv4-random")).isEqualTo("10.0.0.3");
        assertThat(options.getObject("ipv6")).isEqualTo(List.of("fd00::3"));
        assertThat(buildout.update("slap-configuration")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void slapconfigurationGivesAClusterMemberItsPeers() throws Exception {
        Map<String, Object> doc = new java.util.TreeMap<>((Map<String, Object>) Json.parse(Files.readString(dir.resolve("instance.json"))));
        doc.put("cluster", Map.of("cluster", "c", "topology", "failover", "role", "db", "index", 1, "primary", "db.0",
                "members", List.of(Map.of("name", "db.0", "node", "n1", "connectionParameters", Map.of("url", "mysql://a")),
                        Map.of("name", "db.1", "node", "n2", "connectionParameters", Map.of()))));
        Files.writeString(dir.resolve("instance.json"), Json.writePretty(doc));
        buildout.section("slap-configuration", "recipe", "slapos.cookbook:slapconfiguration");
        buildout.install("slap-configuration");
        var options = buildout.section("slap-configuration");
        assertThat(options.get("cluster-name")).isEqualTo("c");
        assertThat(options.get("cluster-role")).isEqualTo("db");
        assertThat(options.get("cluster-index")).isEqualTo("1");
        assertThat(options.get("cluster-primary")).isEqualTo("db.0");
        Map<String, Object> cluster = (Map<String, Object>) options.getObject("cluster");
        assertThat(cluster.get("members").toString()).contains("mysql://a", "n2");
        assertThat(buildout.update("slap-configuration")).isEmpty();
    }

    @Test
    void slapconfigurationFollowsChangedParameters() throws Exception {
        buildout.section("c", "recipe", "slapos.cookbook:slapconfiguration", "configuration.ram", "1");
        buildout.create("c");
        assertThat(buildout.section("c").get("configuration.ram")).isEqualTo("2048");
        writeInstance(Map.of("ram", 4096));
        buildout.create("c");
        assertThat(buildout.section("c").get("configuration.ram")).isEqualTo("4096");
    }

    @Test
    void serialisedParametersAreJsonUnderUnderscore() throws Exception {
        writeInstance(Map.of("_", "{\"ram\": 512, \"list\": [1]}"));
        buildout.section("c", "recipe", "slapos.cookbook:slapconfiguration.serialised", "configuration.cpu", "2");
        buildout.create("c");
        assertThat(buildout.section("c").get("configuration.ram")).isEqualTo("512");
        assertThat(buildout.section("c").get("configuration.cpu")).isEqualTo("2");
        writeInstance(Map.of("_", "not json"));
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c]").hasMessageContaining("'_'");
    }

    @Test
    void jsonschemaValidatesAndAppliesDefaultsAndNamesTheWrongParameter() throws Exception {
        Files.writeString(dir.resolve("software.cfg.json"), """
                {"name": "x", "software-type": {"default": {"request": "instance-input-schema.json"}}}
                """);
        Files.writeString(dir.resolve("instance-input-schema.json"), """
                {"type": "object", "properties": {
                   "ram": {"type": "integer", "default": 512},
                   "name": {"type": "string"},
                   "cores": {"type": "integer", "default": 2}}}
                """);
        writeInstance(Map.of("ram", 2048));
        buildout.section("c", "recipe", "slapos.cookbook:slapconfiguration.jsonschema",
                "jsonschema", "software.cfg.json", "set-default", "main");
        buildout.create("c");
        assertThat(buildout.section("c").get("configuration.cores")).isEqualTo("2");
        assertThat(buildout.section("c").get("configuration.ram")).isEqualTo("2048");

        writeInstance(Map.of("ram", "lots"));
        assertThatThrownBy(() -> buildout.create("c"))
                .isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[c] jsonschema")
                .hasMessageContaining("parameter 'ram'")
                .hasMessageContaining("integer");

        buildout.section("d", "recipe", "slapos.cookbook:slapconfiguration.jsonschema", "jsonschema", "nothere.json");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] jsonschema").hasMessageContaining("not found");
        buildout.section("e", "recipe", "slapos.cookbook:slapconfiguration.jsonschema");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] jsonschema");
    }

    @Test
    void jsonschemaFollowsRelativeReferences() throws Exception {
        Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(dir.resolve("schemas/common.json"), """
                {"definitions": {"size": {"type": "integer", "minimum": 1}}}
                """);
        Files.writeString(dir.resolve("schemas/input.json"), """
                {"type": "object", "required": ["size"],
                 "properties": {"size": {"$ref": "common.json#/definitions/size"}}}
                """);
        writeInstance(Map.of("size", 0));
        buildout.section("c", "recipe", "slapos.cookbook:slapconfiguration.jsonschema", "jsonschema", "schemas/input.json");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("parameter 'size'").hasMessageContaining("minimum");
        writeInstance(Map.of());
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("'size'").hasMessageContaining("required");
        writeInstance(Map.of("size", 3));
        buildout.create("c");
        assertThat(buildout.section("c").get("configuration.size")).isEqualTo("3");
    }

    @Test
    void withoutANodeServiceOrInstanceFileTheErrorNamesTheSection() {
        FakeBuildout bare = new FakeBuildout(dir);
        bare.section("c", "recipe", "slapos.cookbook:slapconfiguration");
        assertThatThrownBy(() -> bare.create("c")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[c]").hasMessageContaining("instance-file");
    }

    @Test
    void theNodeServiceWinsOverLocalFiles() throws Exception {
        FakeBuildout hosted = new FakeBuildout(dir);
        LocalSlapInstance other = new LocalSlapInstance(dir.resolve("instance.json"), dir.resolve("pub2.json"), dir.resolve("req2.json"));
        hosted.service(SlapInstance.class, other);
        hosted.section("p", "recipe", "slapos.cookbook:publish", "url", "http://x");
        hosted.create("p");
        assertThat(hosted.create("p").install()).isEmpty();
        assertThat(other.published()).containsEntry("url", "http://x");
        assertThat(local.published()).isEmpty();
    }

    @Test
    void publishSendsTheSectionKeysOnInstallOnly() throws Exception {
        buildout.section("pw").putVolatile("passwd", "s3cret");
        buildout.section("pub", "recipe", "slapos.cookbook:publish", "url", "http://[fd00::3]:8080",
                "password", "${pw:passwd}", "-private", "not published");
        buildout.install("pub");
        assertThat(local.published()).containsExactly(Map.entry("password", "s3cret"), Map.entry("url", "http://[fd00::3]:8080"));
        assertThat(buildout.log).noneMatch(l -> l.contains("s3cret"));
        Path published = local.publishedFile();
        Files.setLastModifiedTime(published, FileTime.fromMillis(1_000_000_000L));
        buildout.update("pub");
        assertThat(Files.getLastModifiedTime(published).toMillis()).isEqualTo(1_000_000_000L);

        buildout.section("pub").put("url", "http://other");
        buildout.install("pub");
        assertThat(local.published()).containsEntry("url", "http://other");
    }

    @Test
    void publishRestrictsExtendsAndSerialises() throws Exception {
        buildout.section("more", "extra", "e", "-hidden", "h");
        buildout.section("pub", "recipe", "slapos.cookbook:publish.serialised", "a", "1", "b", "2",
                "-publish", "a", "-extends", "more");
        buildout.install("pub");
        Map<String, String> published = local.published();
        assertThat(published).containsOnlyKeys("_");
        assertThat(Json.parse(published.get("_"))).isEqualTo(Map.of("a", "1", "extra", "e"));
        // With -extends, update publishes again (the extended sections may have changed).
        buildout.section("more").put("extra", "f");
        buildout.update("pub");
        assertThat(Json.parse(local.published().get("_"))).isEqualTo(Map.of("a", "1", "extra", "f"));

        buildout.section("bad", "recipe", "slapos.cookbook:publish", "-publish", "nosuch");
        assertThatThrownBy(() -> buildout.create("bad")).hasMessageContaining("[bad] -publish").hasMessageContaining("nosuch");
        buildout.section("bad2", "recipe", "slapos.cookbook:publish", "-extends", "nosection");
        assertThatThrownBy(() -> buildout.create("bad2")).hasMessageContaining("[bad2] -extends");
    }

    @Test
    void requestRecordsTheRequestAndReturnsConnectionValues() throws Exception {
        buildout.section("db", "recipe", "slapos.cookbook:request", "name", "db", "software-url", "https://sr/db.cfg",
                "software-type", "mariadb", "config-size", "10", "sla-computer_guid", "COMP-2", "sla-empty", "",
                "return", "url user");
        assertThat(buildout.install("db")).isEmpty();
        var options = buildout.section("db");
        assertThat(options.get("connection-url")).isEqualTo("mysql://db");
        assertThat(options.get("connection-user")).isEqualTo("u");
        assertThat(options.get("requested-state")).as("from [slap-connection] requested-state").isEqualTo("stopped");
        assertThat(options.get("instance-state")).isEqualTo("started");
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) local.requested().get("db");
        assertThat(request).containsEntry("software-url", "https://sr/db.cfg").containsEntry("software-type", "mariadb")
                .containsEntry("parameters", Map.of("size", "10")).containsEntry("sla", Map.of("computer_guid", "COMP-2"))
                .containsEntry("state", "stopped").containsEntry("shared", false);
        Files.setLastModifiedTime(local.requestedFile(), FileTime.fromMillis(1_000_000_000L));
        buildout.update("db");
        assertThat(Files.getLastModifiedTime(local.requestedFile()).toMillis())
                .as("the same request again rewrites nothing").isEqualTo(1_000_000_000L);

        options.put("state", "destroyed");
        buildout.install("db");
        assertThat(local.requested().get("db").toString()).contains("state=destroyed");
    }

    @Test
    void requestFailsUntilTheChildPublishesButRequestoptionalDoesNot() throws Exception {
        buildout.section("front", "recipe", "slapos.cookbook:request", "name", "front", "software-url", "sr",
                "return", "url");
        assertThatThrownBy(() -> buildout.install("front")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[front] return").hasMessageContaining("url");
        assertThat(buildout.section("front").get("connection-url")).isEmpty();
        buildout.section("front").put("recipe", "slapos.cookbook:requestoptional");
        assertThat(buildout.install("front")).isEmpty();
    }

    @Test
    void requestSerialisedWrapsParametersAndReadsConnectionJson() throws Exception {
        buildout.section("ser", "recipe", "slapos.cookbook:request.serialised", "name", "ser", "software-url", "sr",
                "config-a", "1", "return", "url n");
        buildout.install("ser");
        assertThat(buildout.section("ser").get("connection-url")).isEqualTo("http://s");
        assertThat(buildout.section("ser").get("connection-n")).isEqualTo("3");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) ((Map<String, Object>) local.requested().get("ser")).get("parameters");
        assertThat(params).isEqualTo(Map.of("_", "{\"a\":\"1\"}"));
    }

    @Test
    void requestBadInputs() {
        buildout.section("a", "recipe", "slapos.cookbook:request", "software-url", "sr");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] name");
        buildout.section("b", "recipe", "slapos.cookbook:request", "name", "b");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] software-url");
        buildout.section("c", "recipe", "slapos.cookbook:request", "name", "c", "software-url", "sr", "state", "paused");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] state");
        buildout.section("d", "recipe", "slapos.cookbook:request", "name", "d", "software-url", "sr", "config", "x");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] config").hasMessageContaining("obsolete");
        buildout.section("e", "recipe", "slapos.cookbook:request", "name", "e", "software-url", "sr", "shared", "perhaps");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] shared");
    }

    @Test
    void aRequestedParameterIsRenderedAsItIsNeverAsTemplateCode() throws Exception {
        writeInstance(Map.of("greeting", "{{ 7*7 }}", "cmd", "{% for x in range(3) %}x{% endfor %}"));
        buildout.section("slap-configuration", "recipe", "slapos.cookbook:slapconfiguration");
        buildout.install("slap-configuration");
        buildout.section("profile", "recipe", "slapos.recipe.template:jinja2",
                "inline", "greeting = {{ slapparameter_dict['greeting'] }}\ncmd = {{ slapparameter_dict.cmd }}\n",
                "context", "key slapparameter_dict slap-configuration:configuration", "output", "instance.cfg");
        buildout.install("profile");
        assertThat(Files.readString(dir.resolve("instance.cfg")))
                .isEqualTo("greeting = {{ 7*7 }}\ncmd = {% for x in range(3) %}x{% endfor %}");
    }
}
