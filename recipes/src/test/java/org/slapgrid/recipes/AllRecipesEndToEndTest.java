package org.slapgrid.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.Buildout;
import org.slapgrid.buildout.InstallReport;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.build.TestArchives;
import org.slapgrid.recipes.slap.LocalSlapInstance;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.testing.Tools;

/**
 * The real buildout engine runs a profile that uses every standard recipe: it installs into an
 * empty directory, and a second run reports every part UPDATED and changes nothing (same files,
 * same mtimes, same password, nothing published or requested again).
 */
class AllRecipesEndToEndTest {

    @TempDir
    Path root;

    @Test
    void everyRecipeInstallsThenASecondRunChangesNothing() throws Exception {
        Tools.assumeInstalled("gcc", "make");
        Path inputs = Files.createDirectories(root.resolve("inputs"));
        Path partition = Files.createDirectories(root.resolve("partition"));
        prepareInputs(inputs);
        Path profile = partition.resolve("buildout.cfg");
        Files.writeString(profile, profile(inputs));

        List<String> log1 = new ArrayList<>();
        InstallReport first = Buildout.builder(profile).workingDirectory(partition).log(log1::add).build().install();
        List<String> parts = first.parts().stream().map(InstallReport.PartResult::part).toList();
        assertThat(parts).containsExactlyInAnyOrder(PARTS);
        assertThat(first.parts()).allSatisfy(p -> assertThat(p.outcome()).as(p.part()).isEqualTo(InstallReport.Outcome.INSTALLED));

        // What the parts produced.
        String password = passwordIn(partition.resolve("srv/passwords/admin"));
        assertThat(password).matches("[A-Za-z0-9]{20}");
        assertThat(Files.readString(partition.resolve("etc/app.cfg")))
                .contains("name = Jane").contains("ram = 2048").contains("password = " + password);
        assertThat(Files.readString(partition.resolve("etc/app.json"))).contains("\"ram\": 2048").contains("title My instance");
        assertThat(run(partition.resolve("etc/run/hello"))).isEqualTo("bonjour");
        assertThat(Files.isSymbolicLink(partition.resolve("bin/hello"))).isTrue();
        assertThat(partition.resolve("parts/data-archive/README")).hasContent("data");
        assertThat(partition.resolve("parts/single-file/payload.txt")).hasContent("payload");
        assertThat(partition.resolve("parts/checkout/file.txt")).hasContent("from git");
        assertThat(partition.resolve("var/command-ran")).exists();
        assertThat(partition.resolve("etc/promise/port")).isExecutable();
        assertThat(partition.resolve("etc/promise/check-command")).isExecutable();
        try (Stream<Path> services = Files.list(partition.resolve("etc/service"))) {
            assertThat(services.map(p -> p.getFileName().toString())).singleElement().asString().matches("app-[0-9a-f]{32}");
        }
        LocalSlapInstance slap = LocalSlapInstance.beside(inputs.resolve("instance.json"));
        assertThat(slap.published()).containsEntry("password", password).containsEntry("child-url", "http://child")
                .containsKey("port");
        assertThat(slap.requested()).containsOnlyKeys("child");
        assertThat(String.join("\n", log1)).doesNotContain(password);
        String installed = Files.readString(partition.resolve(".installed.cfg"));
        int start = installed.indexOf("[admin-password]");
        String passwordSection = installed.substring(start, installed.indexOf("\n[", start + 1));
        assertThat(passwordSection).as("passwd is volatile: not saved with its part").doesNotContain(password);

        // Second run: same options, so every part is updated and nothing is rewritten.
        Map<Path, Long> before = snapshot(root);
        List<String> log2 = new ArrayList<>();
        InstallReport second = Buildout.builder(profile).workingDirectory(partition).log(log2::add).build().install();
        assertThat(second.parts()).hasSize(PARTS.length)
                .allSatisfy(p -> assertThat(p.outcome()).as(p.part()).isEqualTo(InstallReport.Outcome.UPDATED));
        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(passwordIn(partition.resolve("srv/passwords/admin"))).isEqualTo(password);
        assertThat(String.join("\n", log2)).doesNotContain(password);

        // Third run: the requester changed a parameter. The configuration follows, the service
        // wrapper gets a new hashed name (so the supervisor restarts it), the password stays.
        String oldService = serviceName(partition);
        Map<String, Object> instance = new TreeMap<>(cast(Json.read(inputs.resolve("instance.json"))));
        instance.put("parameters", Map.of("name", "Joe", "ram", 2048));
        Files.writeString(inputs.resolve("instance.json"), Json.writePretty(instance));
        InstallReport third = Buildout.builder(profile).workingDirectory(partition).build().install();
        assertThat(third.outcome("slap-configuration")).contains(InstallReport.Outcome.REINSTALLED);
        assertThat(Files.readString(partition.resolve("etc/app.cfg"))).contains("name = Joe").contains("password = " + password);
        assertThat(serviceName(partition)).isNotEqualTo(oldService);
        assertThat(slap.requested().get("child").toString()).contains("greeting=Joe");
        assertThat(passwordIn(partition.resolve("srv/passwords/admin"))).isEqualTo(password);

        // Fourth run: only the directories remain in parts. Everything the other parts returned
        // is removed; data (directories, the stored password, the chosen port) stays.
        Files.writeString(profile, Files.readString(profile).replaceFirst(
                "parts = [^\\n]*\\n(  [^\\n]*\\n)*", "parts = directory\n"));
        InstallReport fourth = Buildout.builder(profile).workingDirectory(partition).build().install();
        assertThat(fourth.outcome("publish")).contains(InstallReport.Outcome.UNINSTALLED);
        assertThat(fourth.outcome("directory")).contains(InstallReport.Outcome.UPDATED);
        for (String gone : List.of("etc/app.cfg", "etc/app.json", "etc/run/hello", "bin/hello", "parts/hello-build",
                "parts/data-archive", "parts/single-file", "parts/checkout", "etc/promise/port", "etc/promise/check-command")) {
            assertThat(partition.resolve(gone)).as(gone).doesNotExist();
        }
        try (Stream<Path> services = Files.list(partition.resolve("etc/service"))) {
            assertThat(services).isEmpty();
        }
        assertThat(passwordIn(partition.resolve("srv/passwords/admin"))).isEqualTo(password);
        assertThat(partition.resolve("var/command-ran")).exists();
        assertThat(partition.resolve("parts/port.port.json")).exists();
    }

    @Test
    void badOptionsAndUnknownRecipesNameSectionAndOptionThroughTheEngine() throws Exception {
        Path profile = root.resolve("buildout.cfg");
        Files.writeString(profile, """
                [buildout]
                parts = web

                [web]
                recipe = slapos.cookbook:wrapper
                wrapper-path = ${buildout:directory}/w
                """);
        assertThatThrownBy(() -> Buildout.builder(profile).workingDirectory(root).build().install())
                .isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[web] command-line")
                .satisfies(e -> assertThat(((BuildoutException) e).exitStatus()).isEqualTo(2));
        Files.writeString(profile, """
                [buildout]
                parts = web

                [web]
                recipe = slapos.cookbook:no-such-recipe
                """);
        assertThatThrownBy(() -> Buildout.builder(profile).workingDirectory(root).build().install())
                .isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[web] recipe")
                .hasMessageContaining("no-such-recipe");
        assertThat(root.resolve("w")).doesNotExist();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static String serviceName(Path partition) throws Exception {
        try (Stream<Path> services = Files.list(partition.resolve("etc/service"))) {
            List<String> names = services.map(p -> p.getFileName().toString()).toList();
            assertThat(names).hasSize(1);
            return names.get(0);
        }
    }

    private static final String[] PARTS = {
        "directory", "admin-password", "slap-configuration", "port", "config", "config-json", "hello-build",
        "hello-wrapper", "app-wrapper", "bin-links", "data-archive", "single-file", "checkout", "command",
        "port-promise", "command-promise", "child", "publish"};

    private static String profile(Path inputs) throws Exception {
        byte[] archive = Files.readAllBytes(inputs.resolve("data.tar.gz"));
        byte[] payload = Files.readAllBytes(inputs.resolve("payload.txt"));
        return """
                [buildout]
                parts = directory admin-password slap-configuration port config config-json hello-build
                  hello-wrapper app-wrapper bin-links data-archive single-file checkout command
                  port-promise command-promise child publish
                offline = true

                [slap-connection]
                instance-file = %1$s/instance.json
                requested-state = started

                [directory]
                recipe = slapos.cookbook:mkdirectory
                etc = ${buildout:directory}/etc
                service = ${:etc}/service
                run = ${:etc}/run
                promise = ${:etc}/promise
                var = ${buildout:directory}/var
                passwords = ${buildout:directory}/srv/passwords
                mode = 0750

                [admin-password]
                recipe = slapos.cookbook:generate.password
                bytes = 20
                storage-path = ${directory:passwords}/admin

                [slap-configuration]
                recipe = slapos.cookbook:slapconfiguration.jsonschema
                jsonschema = %1$s/software.cfg.json
                set-default = main
                configuration.name = John Doe

                [port]
                recipe = slapos.cookbook:free_port
                ip = 127.0.0.1
                minimum = 21000
                maximum = 21999

                [config]
                recipe = slapos.recipe.template
                url = %1$s/app.cfg.in
                output = ${directory:etc}/app.cfg
                mode = 0640

                [config-json]
                recipe = slapos.recipe.template:jinja2
                url = %1$s/app.json.j2
                output = ${directory:etc}/app.json
                context =
                  key parameters slap-configuration:configuration
                  raw title ${slap-configuration:instance-title}
                  import json_module json

                [hello-build]
                recipe = slapos.recipe.cmmi
                url = file://%1$s/hello-1.0.tar.gz
                md5sum = %2$s
                configure-options = --with-greeting=bonjour

                [hello-wrapper]
                recipe = slapos.cookbook:wrapper
                command-line = ${hello-build:location}/bin/hello
                wrapper-path = ${directory:run}/hello

                [app-wrapper]
                recipe = slapos.cookbook:wrapper
                command-line = cat ${config:output}
                wrapper-path = ${directory:service}/app
                hash-files = ${config:output}
                environment = LANG=C.UTF-8

                [bin-links]
                recipe = slapos.cookbook:symbolic.link
                target-directory = ${buildout:directory}/bin
                link-binary = ${hello-build:location}/bin/hello

                [data-archive]
                recipe = slapos.recipe.build:download-unpacked
                url = file://%1$s/data.tar.gz
                sha256 = %3$s

                [single-file]
                recipe = slapos.recipe.build:download
                url = %1$s/payload.txt
                filename = payload.txt
                md5sum = %4$s

                [checkout]
                recipe = slapos.recipe.build:gitclone
                repository = %1$s/repo
                branch = main

                [command]
                recipe = plone.recipe.command
                command = touch ${directory:var}/command-ran
                stop-on-error = true

                [port-promise]
                recipe = slapos.cookbook:check_port_listening
                path = ${directory:promise}/port
                hostname = 127.0.0.1
                port = ${port:port}

                [command-promise]
                recipe = slapos.cookbook:promise.plugin
                output = ${directory:promise}/check-command
                module = slapos.promise.plugin.check_command_execute
                config-command = test -f ${config:output}

                [child]
                recipe = slapos.cookbook:request
                name = child
                software-url = %1$s/child-software.cfg
                config-greeting = ${slap-configuration:configuration.name}
                return = url

                [publish]
                recipe = slapos.cookbook:publish
                password = ${admin-password:passwd}
                port = ${port:port}
                child-url = ${child:connection-url}
                """.formatted(inputs, Checksum.hex("MD5", Files.readAllBytes(inputs.resolve("hello-1.0.tar.gz"))),
                Checksum.hex("SHA-256", archive), Checksum.hex("MD5", payload));
    }

    private static void prepareInputs(Path inputs) throws Exception {
        Files.writeString(inputs.resolve("instance.json"), Json.writePretty(Map.of(
                "node-id", "COMP-1", "partition-id", "slappart0", "software-type", "default",
                "parameters", Map.of("name", "Jane", "ram", 2048),
                "ipv4", List.of("127.0.0.1"), "instance-title", "My instance",
                "children", Map.of("child", Map.of("state", "started", "connection", Map.of("url", "http://child"))))));
        Files.writeString(inputs.resolve("software.cfg.json"),
                "{\"software-type\": {\"default\": {\"request\": \"schema.json\"}}}");
        Files.writeString(inputs.resolve("schema.json"), """
                {"type": "object", "properties": {"name": {"type": "string"},
                 "ram": {"type": "integer", "default": 1024}}}
                """);
        Files.writeString(inputs.resolve("app.cfg.in"), """
                name = ${slap-configuration:configuration.name}
                ram = ${slap-configuration:configuration.ram}
                password = ${admin-password:passwd}
                """);
        Files.writeString(inputs.resolve("app.json.j2"),
                "{{ json_module.dumps(parameters) }}\n{\"ram\": {{ parameters.ram }}} title {{ title }}\n");
        Files.write(inputs.resolve("hello-1.0.tar.gz"), TestArchives.helloProject("bonjour"));
        Files.write(inputs.resolve("data.tar.gz"), TestArchives.tarGz(Map.of("data/README", "data")));
        Files.writeString(inputs.resolve("payload.txt"), "payload");
        Path repo = inputs.resolve("repo");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("file.txt"), "from git");
            git.add().addFilepattern("file.txt").call();
            git.commit().setMessage("init").setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").call();
        }
    }

    private static String passwordIn(Path file) {
        return (String) ((Map<?, ?>) Json.read(file)).get("");
    }

    private static String run(Path program) throws Exception {
        Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    /** Every file and directory with its mtime, except the engine's own state file. */
    private static Map<Path, Long> snapshot(Path dir) throws Exception {
        Map<Path, Long> result = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().equals(".installed.cfg") || p.toString().contains("/.git/")) {
                    continue;
                }
                FileTime time = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                result.put(p, time.toMillis());
            }
        }
        return result;
    }
}
