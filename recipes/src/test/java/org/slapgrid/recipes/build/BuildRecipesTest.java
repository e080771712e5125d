package org.slapgrid.recipes.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.testing.FakeBuildoutCase;
import org.slapgrid.recipes.testing.Tools;

/** slapos.recipe.cmmi, plone.recipe.command and slapos.recipe.build:gitclone. */
class BuildRecipesTest extends FakeBuildoutCase {

    /** A tiny autotools-like project: a hand-written configure that writes config.mk, and a C program. */
    static Map<String, String> project(String greeting) {
        Map<String, String> tree = new LinkedHashMap<>();
        tree.put("hello-1.0/configure", """
                #!/bin/sh
                for arg in "$@"; do
                  case "$arg" in
                    --prefix=*) prefix="${arg#--prefix=}" ;;
                    --with-greeting=*) greeting="${arg#--with-greeting=}" ;;
                  esac
                done
                [ -n "$prefix" ] || { echo "no prefix" >&2; exit 1; }
                echo "PREFIX=$prefix" > config.mk
                echo "GREETING=${greeting:-%s}" >> config.mk
                echo "configured for $prefix"
                """.formatted(greeting));
        tree.put("hello-1.0/Makefile", """
                include config.mk
                hello: hello.c
                \tgcc -DGREETING="\\"$(GREETING)\\"" -o hello hello.c
                install: hello
                \tmkdir -p $(PREFIX)/bin
                \tcp hello $(PREFIX)/bin/hello
                """);
        tree.put("hello-1.0/hello.c", """
                #include <stdio.h>
                int main(void) { puts(GREETING); return 0; }
                """);
        return tree;
    }

    private static String run(Path program) throws Exception {
        Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    @Test
    void cmmiConfiguresMakesAndInstallsWithOptionsEnvironmentAndPatches() throws Exception {
        Tools.assumeInstalled("gcc", "make", "patch");
        Path archive = dir.resolve("hello-1.0.tar.gz");
        Files.write(archive, Archives.tarGz(project("hi")));
        Path patch = dir.resolve("exclaim.patch");
        Files.writeString(patch, """
                --- hello.c
                +++ hello.c
                @@ -1,2 +1,2 @@
                 #include <stdio.h>
                -int main(void) { puts(GREETING); return 0; }
                +int main(void) { printf("%s!\\n", GREETING); return 0; }
                """);
        String patchMd5 = Checksum.hex("MD5", Files.readAllBytes(patch));
        buildout.section("hello", "recipe", "slapos.recipe.cmmi", "url", archive.toString(),
                "configure-options", "--with-greeting=bonjour",
                "environment", "MARK=from-env\nPATH=%(PATH)s",
                "patches", patch + "#" + patchMd5,
                "post-install", "echo \"$MARK\" > ${buildout:directory}/parts/hello/mark");
        Path location = dir.resolve("parts/hello");
        assertThat(buildout.section("hello").get("post-install")).contains(dir.toString());
        assertThat(buildout.install("hello")).containsExactly(location);
        assertThat(buildout.section("hello").get("location")).isEqualTo(location.toString());
        assertThat(run(location.resolve("bin/hello"))).isEqualTo("bonjour!");
        assertThat(location.resolve("mark")).hasContent("from-env");
        assertThat(buildout.log).anyMatch(l -> l.contains("configured for " + location));
        assertThat(dir.resolve("parts/hello__compile__")).as("build directory removed after success").doesNotExist();

        Files.setLastModifiedTime(location.resolve("bin/hello"), FileTime.fromMillis(1_000_000_000L));
        assertThat(buildout.update("hello")).isEmpty();
        assertThat(Files.getLastModifiedTime(location.resolve("bin/hello")).toMillis()).isEqualTo(1_000_000_000L);

        buildout.section("hello").put("configure-options", "--with-greeting=salut");
        buildout.install("hello");
        assertThat(run(location.resolve("bin/hello"))).isEqualTo("salut!");
    }

    @Test
    void cmmiFailureRemovesTheHalfInstalledLocationAndNamesTheStep() throws Exception {
        Tools.assumeInstalled("make");
        Path src = dir.resolve("src");
        for (Map.Entry<String, String> e : project("x").entrySet()) {
            Path file = src.resolve(e.getKey().substring("hello-1.0/".length()));
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        Modes.set(src.resolve("configure"), 0755);
        buildout.section("bad", "recipe", "slapos.recipe.cmmi", "path", src.toString(),
                "pre-install", "mkdir -p ${buildout:directory}/parts/bad/partial",
                "make-targets", "no-such-target");
        assertThatThrownBy(() -> buildout.install("bad")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[bad] make-targets").hasMessageContaining("no-such-target");
        assertThat(dir.resolve("parts/bad")).doesNotExist();

        buildout.section("slow", "recipe", "slapos.recipe.cmmi", "path", src.toString(),
                "pre-configure", "sleep 30", "timeout", "1");
        assertThatThrownBy(() -> buildout.install("slow")).hasMessageContaining("[slow] pre-configure")
                .hasMessageContaining("timed out after 1 s");
    }

    @Test
    void cmmiBadInputs() {
        buildout.section("a", "recipe", "slapos.recipe.cmmi");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] url").hasMessageContaining("either");
        buildout.section("b", "recipe", "slapos.recipe.cmmi", "url", "x.tgz", "path", "y");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] path").hasMessageContaining("not both");
        buildout.section("c", "recipe", "slapos.recipe.cmmi", "url", "x.tgz", "patches", "p.diff#zz");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] patches");
        buildout.section("d", "recipe", "slapos.recipe.cmmi", "path", "missing-dir");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] path");
        buildout.section("e", "recipe", "slapos.recipe.cmmi", "url", "x.tgz", "timeout", "soon");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] timeout");
    }

    @Test
    void commandRunsOnInstallAndUpdateCommandOnUpdate() throws Exception {
        buildout.section("c", "recipe", "plone.recipe.command",
                "command", "echo installed >> log.txt && mkdir -p made",
                "update-command", "echo updated >> log.txt",
                "location", "made");
        assertThat(buildout.install("c")).containsExactly(dir.resolve("made"));
        assertThat(buildout.update("c")).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("log.txt"))).containsExactly("installed", "updated");

        buildout.section("quiet", "recipe", "plone.recipe.command", "command", "echo out; exit 3");
        buildout.install("quiet");
        assertThat(buildout.log).contains("quiet: out").anyMatch(l -> l.contains("exit status 3") && l.contains("ignored"));

        buildout.section("strict", "recipe", "plone.recipe.command", "command", "exit 3", "stop-on-error", "yes");
        assertThatThrownBy(() -> buildout.install("strict")).hasMessageContaining("[strict] command").hasMessageContaining("exit status 3");
        buildout.section("slow", "recipe", "plone.recipe.command", "command", "sleep 30", "stop-on-error", "true", "timeout", "1");
        assertThatThrownBy(() -> buildout.install("slow")).hasMessageContaining("timed out after 1 s");
        buildout.section("bad", "recipe", "plone.recipe.command", "command", "true", "stop-on-error", "often");
        assertThatThrownBy(() -> buildout.create("bad")).hasMessageContaining("[bad] stop-on-error");
    }

    @Test
    void gitCloneChecksOutBranchOrRevisionAndFollowsTheBranchOnUpdate() throws Exception {
        Path origin = dir.resolve("origin");
        RevCommit first;
        try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
            Files.writeString(origin.resolve("file.txt"), "one\n");
            git.add().addFilepattern("file.txt").call();
            first = git.commit().setMessage("one").setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").call();
            Files.writeString(origin.resolve("file.txt"), "two\n");
            git.add().addFilepattern("file.txt").call();
            git.commit().setMessage("two").setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").call();
        }
        buildout.section("g", "recipe", "slapos.recipe.build:gitclone", "repository", origin.toString(), "branch", "main");
        Path location = dir.resolve("parts/g");
        assertThat(buildout.install("g")).containsExactly(location);
        assertThat(location.resolve("file.txt")).hasContent("two");
        Files.setLastModifiedTime(location.resolve("file.txt"), FileTime.fromMillis(1_000_000_000L));
        assertThat(buildout.update("g")).isEmpty();
        assertThat(Files.getLastModifiedTime(location.resolve("file.txt")).toMillis()).isEqualTo(1_000_000_000L);

        try (Git git = Git.open(origin.toFile())) {
            Files.writeString(origin.resolve("file.txt"), "three\n");
            git.add().addFilepattern("file.txt").call();
            git.commit().setMessage("three").setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").call();
        }
        buildout.update("g");
        assertThat(location.resolve("file.txt")).hasContent("three");

        buildout.section("r", "recipe", "slapos.recipe.build:gitclone", "repository", origin.toString(),
                "branch", "main", "revision", first.getName());
        buildout.install("r");
        assertThat(dir.resolve("parts/r/file.txt")).hasContent("one");
        buildout.update("r");
        assertThat(dir.resolve("parts/r/file.txt")).hasContent("one");
    }

    @Test
    void gitBadInputsAndFailedCloneLeavesNothing() throws Exception {
        buildout.section("a", "recipe", "slapos.recipe.build:gitclone");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] repository");
        buildout.section("b", "recipe", "slapos.recipe.build:gitclone", "repository", "x", "revision", "not-a-sha");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] revision");
        buildout.section("c", "recipe", "slapos.recipe.build:gitclone", "repository", dir.resolve("nothing").toString());
        assertThatThrownBy(() -> buildout.install("c")).isInstanceOf(BuildoutException.class).hasMessageContaining("[c] repository");
        try (var files = Files.list(dir.resolve("parts"))) {
            assertThat(files).isEmpty();
        }
    }
}
