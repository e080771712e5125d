package org.slapgrid.recipes.cookbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.testing.FakeBuildoutCase;

class WrapperRecipeTest extends FakeBuildoutCase {

    private static String run(Path script, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = script.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes());
    }

    @Test
    void wrapperExecsTheCommandWithEnvironmentAndQuotedArguments() throws Exception {
        buildout.section("w", "recipe", "slapos.cookbook:wrapper",
                "command-line", "/bin/sh -c 'echo \"$GREETING\" \"$0\" \"$1\"' \"it's me\"",
                "environment", "GREETING=hello world\nB=2",
                "wrapper-path", "etc/service/hello");
        Path wrapper = dir.resolve("etc/service/hello");
        assertThat(buildout.install("w")).containsExactly(wrapper);
        assertThat(Modes.get(wrapper)).isEqualTo(0700);
        assertThat(run(wrapper, "extra")).isEqualTo("hello world it's me extra\n");
    }

    @Test
    void sameOptionsRewriteNothingAndChangedOptionsRewrite() throws Exception {
        buildout.section("w", "recipe", "slapos.cookbook:wrapper", "command-line", "echo one", "wrapper-path", "bin/w");
        buildout.install("w");
        Path wrapper = dir.resolve("bin/w");
        Files.setLastModifiedTime(wrapper, FileTime.fromMillis(1_000_000_000L));
        assertThat(buildout.update("w")).isEmpty();
        assertThat(Files.getLastModifiedTime(wrapper).toMillis()).isEqualTo(1_000_000_000L);

        buildout.section("w").put("command-line", "echo two");
        buildout.install("w");
        assertThat(run(wrapper)).isEqualTo("two\n");
    }

    @Test
    void hashFilesPutAHashInTheNameAndAChangedFileReplacesTheWrapper() throws Exception {
        Path conf = dir.resolve("etc/app.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "a=1\n");
        buildout.section("w", "recipe", "slapos.cookbook:wrapper", "command-line", "cat " + conf,
                "wrapper-path", "etc/service/app", "hash-files", conf.toString());
        Path first = buildout.install("w").iterator().next();
        assertThat(first.getFileName().toString()).matches("app-[0-9a-f]{32}");
        assertThat(run(first)).isEqualTo("a=1\n");

        assertThat(buildout.update("w")).isEmpty();
        Files.writeString(conf, "a=2\n");
        Path second = buildout.update("w").iterator().next();
        assertThat(second).isNotEqualTo(first).exists();
        assertThat(first).doesNotExist();
        try (var files = Files.list(dir.resolve("etc/service"))) {
            assertThat(files).containsExactly(second);
        }
    }

    @Test
    void hashExistingFilesBecomeAnOptionSoAChangeReinstalls() throws Exception {
        Path conf = dir.resolve("static.conf");
        Files.writeString(conf, "x");
        buildout.section("w", "recipe", "slapos.cookbook:wrapper", "command-line", "true",
                "wrapper-path", "w", "hash-existing-files", conf.toString());
        buildout.create("w");
        String before = buildout.section("w").get("__hash_files__");
        Files.writeString(conf, "y");
        buildout.create("w");
        assertThat(buildout.section("w").get("__hash_files__")).isNotEqualTo(before);
    }

    @Test
    void pidfilePreventsASecondCopy() throws Exception {
        Path pid = dir.resolve("app.pid");
        buildout.section("w", "recipe", "slapos.cookbook:wrapper", "command-line", "echo started",
                "wrapper-path", "w", "pidfile", pid.toString());
        Path wrapper = buildout.install("w").iterator().next();
        assertThat(run(wrapper)).isEqualTo("started\n");
        Files.writeString(pid, ProcessHandle.current().pid() + "\n");
        assertThat(run(wrapper)).contains("already running");
    }

    @Test
    void badInputsNameSectionAndOption() {
        buildout.section("a", "recipe", "slapos.cookbook:wrapper", "wrapper-path", "w");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] command-line");
        buildout.section("b", "recipe", "slapos.cookbook:wrapper", "command-line", "x 'unclosed", "wrapper-path", "w");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] command-line").hasMessageContaining("quotation");
        buildout.section("c", "recipe", "slapos.cookbook:wrapper", "command-line", "x", "wrapper-path", "w", "environment", "NOEQUALS");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] environment");
        buildout.section("d", "recipe", "slapos.cookbook:wrapper", "command-line", "x", "wrapper-path", "w", "private-tmpfs", "1M /tmp");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] private-tmpfs");
        buildout.section("e", "recipe", "slapos.cookbook:wrapper", "command-line", "x", "wrapper-path", "w", "hash-files", "nofile");
        assertThatThrownBy(() -> buildout.install("e")).hasMessageContaining("[e] hash-files").hasMessageContaining("nofile");
    }

    @Test
    void tagsAreRecordedNextToTheWrapperAndGoWithIt() throws Exception {
        buildout.section("w", "recipe", "slapos.cookbook:wrapper", "command-line", "echo one",
                "wrapper-path", "etc/service/mariadb-pod01", "tags", "db pod01\ndb");
        Path wrapper = dir.resolve("etc/service/mariadb-pod01");
        Path tags = dir.resolve("etc/service/.mariadb-pod01.tags");
        assertThat(buildout.install("w")).containsExactly(wrapper, tags);
        assertThat(Files.readString(tags)).isEqualTo("db pod01\n");
        assertThat(org.slapgrid.recipes.slap.ServiceTags.read(wrapper)).containsExactly("db", "pod01");

        buildout.section("w").put("tags", "");
        assertThat(buildout.install("w")).containsExactly(wrapper);
        assertThat(tags).as("no tags any more: no file").doesNotExist();

        buildout.section("w").put("tags", "pod01 x;rm");
        assertThatThrownBy(() -> buildout.install("w")).hasMessageContaining("tags")
                .hasMessageContaining("'x;rm' is not a tag");
    }

    @Test
    void aHashedWrapperTakesItsTagsAlongWhenItIsReplaced() throws Exception {
        Path conf = dir.resolve("etc/app.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "a=1\n");
        buildout.section("w", "recipe", "slapos.cookbook:wrapper", "command-line", "cat " + conf,
                "wrapper-path", "etc/service/app", "hash-files", conf.toString(), "tags", "sm");
        Path first = buildout.install("w").iterator().next();
        Files.writeString(conf, "a=2\n");
        Path second = buildout.update("w").iterator().next();
        try (var files = Files.list(dir.resolve("etc/service"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    second.getFileName().toString(), "." + second.getFileName() + ".tags");
        }
        assertThat(first).doesNotExist();
    }
}
