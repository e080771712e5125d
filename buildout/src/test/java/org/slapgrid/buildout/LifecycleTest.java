package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slapgrid.buildout.Profiles.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.InstallReport.Outcome;
import org.slapgrid.buildout.engine.InstalledDatabase;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.testrecipes.TestRecipes;

class LifecycleTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void clearEvents() {
        TestRecipes.EVENTS.clear();
    }

    private InstallReport run(String profile, String... assignments) {
        Path p = write(dir, "buildout.cfg", profile);
        Buildout.Builder b = Buildout.builder(p).log(log::add);
        for (String a : assignments) {
            b.assign(a);
        }
        return b.build().install();
    }

    private List<String> events() {
        List<String> e = new ArrayList<>(TestRecipes.EVENTS);
        TestRecipes.EVENTS.clear();
        return e;
    }

    private InstalledDatabase.State db() {
        return InstalledDatabase.read(dir.resolve(".installed.cfg"));
    }

    private static final String TWO_PARTS = """
            [buildout]
            parts = a b
            [a]
            recipe = test.recipes:file
            path = a.txt
            content = A
            [b]
            recipe = test.recipes:file
            path = b.txt
            content = uses ${c:path}
            [c]
            recipe = test.recipes:mkdir
            path = c-dir
            """;

    @Test
    void referencedPartsAreInstalledBeforeTheirUsers() throws IOException {
        InstallReport r = run(TWO_PARTS);
        assertThat(r.parts()).extracting(InstallReport.PartResult::part).containsExactly("a", "c", "b");
        assertThat(r.parts()).extracting(InstallReport.PartResult::outcome).containsOnly(Outcome.INSTALLED);
        assertThat(Files.readString(dir.resolve("b.txt"))).isEqualTo("uses c-dir");
        assertThat(Files.isDirectory(dir.resolve("c-dir"))).isTrue();
        assertThat(Files.isDirectory(dir.resolve("bin"))).isTrue();
        assertThat(Files.isDirectory(dir.resolve("parts"))).isTrue();
        assertThat(db().parts()).containsExactly("a", "c", "b");
        assertThat(db().options().get("b")).containsEntry("content", "uses c-dir")
                .containsEntry(InstalledDatabase.INSTALLED, dir.resolve("b.txt").toString())
                .containsKey(InstalledDatabase.SIGNATURE);
        assertThat(log).contains("Installing a.", "Installing c.", "Installing b.");
    }

    @Test
    void anUnchangedRerunUpdatesAndWritesNothing() throws IOException {
        run(TWO_PARTS);
        events();
        Path db = dir.resolve(".installed.cfg");
        FileTime before = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(db, before);
        String text = Files.readString(db);
        InstallReport r = run(TWO_PARTS);
        assertThat(r.parts()).extracting(InstallReport.PartResult::outcome).containsOnly(Outcome.UPDATED);
        assertThat(events()).containsExactly("update a", "update c", "update b");
        assertThat(Files.getLastModifiedTime(db)).isEqualTo(before);
        assertThat(Files.readString(db)).isEqualTo(text);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void changedOptionsUninstallThenInstall() throws IOException {
        run(TWO_PARTS);
        events();
        InstallReport r = run(TWO_PARTS.replace("content = A", "content = A2"));
        assertThat(r.outcome("a")).contains(Outcome.REINSTALLED);
        assertThat(r.outcome("b")).contains(Outcome.UPDATED);
        assertThat(events()).containsExactly("uninstall a", "install a", "update c", "update b");
        assertThat(Files.readString(dir.resolve("a.txt"))).isEqualTo("A2");
        assertThat(db().options().get("a")).containsEntry("content", "A2");
    }

    @Test
    void aChangeInAReferencedPartChangesItsUsersOptions() throws IOException {
        run(TWO_PARTS);
        events();
        InstallReport r = run(TWO_PARTS.replace("path = c-dir", "path = c2-dir"));
        assertThat(r.outcome("c")).contains(Outcome.REINSTALLED);
        assertThat(r.outcome("b")).contains(Outcome.REINSTALLED);
        assertThat(Files.exists(dir.resolve("c-dir"))).isFalse();
        assertThat(Files.readString(dir.resolve("b.txt"))).isEqualTo("uses c2-dir");
        // uninstalls happen first, newest first
        assertThat(events()).startsWith("uninstall b", "uninstall c");
    }

    @Test
    void aDroppedPartIsUninstalledAndItsPathsRemoved() {
        run(TWO_PARTS);
        events();
        InstallReport r = run(TWO_PARTS.replace("parts = a b", "parts = a"));
        assertThat(r.outcome("b")).contains(Outcome.UNINSTALLED);
        assertThat(r.outcome("c")).contains(Outcome.UNINSTALLED);
        assertThat(r.outcome("a")).contains(Outcome.UPDATED);
        assertThat(Files.exists(dir.resolve("b.txt"))).isFalse();
        assertThat(Files.exists(dir.resolve("c-dir"))).isFalse();
        assertThat(Files.exists(dir.resolve("a.txt"))).isTrue();
        assertThat(db().parts()).containsExactly("a");
        assertThat(log).contains("Uninstalling b.", "Uninstalling c.");
    }

    @Test
    void dataThatARecipeDoesNotReturnSurvivesUninstall() {
        String profile = "[buildout]\nparts = d\n[d]\nrecipe = test.recipes:data\npath = srv/data\n";
        run(profile);
        InstallReport r = run("[buildout]\nparts =\n");
        assertThat(r.outcome("d")).contains(Outcome.UNINSTALLED);
        assertThat(Files.isDirectory(dir.resolve("srv/data"))).isTrue();
        assertThat(Files.exists(dir.resolve(".installed.cfg"))).isFalse();   // nothing installed any more
    }

    @Test
    void aVanishedRecordedPathReinstallsThePart() throws IOException {
        run(TWO_PARTS);
        Files.delete(dir.resolve("a.txt"));
        InstallReport r = run(TWO_PARTS);
        assertThat(r.outcome("a")).contains(Outcome.REINSTALLED);
        assertThat(Files.exists(dir.resolve("a.txt"))).isTrue();
    }

    @Test
    void aFailedInstallKeepsTheRecordOfEarlierPartsAndTheNextRunResumes() {
        String failing = "[buildout]\nparts = a f z\n[a]\nrecipe = test.recipes:file\npath = a.txt\n"
                + "[f]\nrecipe = test.recipes:fail\nfail-install = true\n[z]\nrecipe = test.recipes:file\npath = z.txt\n";
        assertThatThrownBy(() -> run(failing)).isInstanceOf(BuildoutException.class)
                .satisfies(e -> {
                    BuildoutException be = (BuildoutException) e;
                    assertThat(be.kind()).isEqualTo(BuildoutException.Kind.FAILURE);
                    assertThat(be.exitStatus()).isEqualTo(1);
                    assertThat(be.section()).isEqualTo("f");
                    assertThat(be.getMessage()).contains("asked to fail");
                });
        assertThat(db().parts()).containsExactly("a");
        events();
        InstallReport r = run(failing.replace("fail-install = true", "fail-install = false"));
        assertThat(events()).containsExactly("update a", "install f", "install z");
        assertThat(r.outcome("f")).contains(Outcome.INSTALLED);
        assertThat(db().parts()).containsExactly("a", "f", "z");
    }

    @Test
    void aFailedUpdateForgetsThePartAndRemovesItsFiles() throws IOException {
        String profile = "[buildout]\nparts = f\n[f]\nrecipe = test.recipes:fail\n";
        run(profile);
        assertThat(Files.exists(dir.resolve("f.out"))).isTrue();
        Files.writeString(dir.resolve("fail-update.flag"), "");   // same options, but the update fails
        assertThatThrownBy(() -> run(profile)).isInstanceOf(BuildoutException.class).hasMessageContaining("update failed");
        assertThat(Files.exists(dir.resolve("f.out"))).isFalse();
        assertThat(Files.exists(dir.resolve(".installed.cfg"))).isFalse();
        Files.delete(dir.resolve("fail-update.flag"));
        assertThat(run(profile).outcome("f")).contains(Outcome.INSTALLED);
    }

    @Test
    void anUnknownRecipeIsAConfigurationErrorAndNothingIsTouched() throws IOException {
        run(TWO_PARTS);
        String before = Files.readString(dir.resolve(".installed.cfg"));
        events();
        String bad = TWO_PARTS.replace("parts = a b", "parts = b x") + "[x]\nrecipe = no.such:recipe\n";
        assertThatThrownBy(() -> run(bad)).isInstanceOf(BuildoutException.class).satisfies(e -> {
            BuildoutException be = (BuildoutException) e;
            assertThat(be.exitStatus()).isEqualTo(2);
            assertThat(be.getMessage()).isEqualTo(dir.resolve("buildout.cfg") + ":15: [x] recipe: unknown recipe 'no.such:recipe'");
        });
        assertThat(events()).isEmpty();
        assertThat(Files.readString(dir.resolve(".installed.cfg"))).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("a.txt"))).isTrue();
    }

    @Test
    void aPartWithoutRecipeAndAMissingPartAreConfigurationErrors() {
        assertThatThrownBy(() -> run("[buildout]\nparts = p\n[p]\nx = 1\n")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("Missing option: p:recipe");
        assertThatThrownBy(() -> run("[buildout]\nparts = nope\n")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("buildout.cfg:2: [buildout] parts: The referenced section, 'nope', was not defined.");
    }

    @Test
    void recipeNamesWithoutEntryMeanDefault() {
        InstallReport r = run("[buildout]\nparts = p\n[p]\nrecipe = test.recipes\npath = p.txt\n");
        assertThat(r.outcome("p")).contains(Outcome.INSTALLED);
    }

    @Test
    void optionsSetByRecipesAreRecordedExceptVolatileOnes() throws IOException {
        run("[buildout]\nparts = user\n[gen]\nrecipe = test.recipes:computed\n"
                + "[user]\nrecipe = test.recipes:file\npath = u.txt\ncontent = ${gen:computed} ${gen:secret} ${gen:structured}\n");
        assertThat(Files.readString(dir.resolve("u.txt"))).isEqualTo("gen-computed s3cret-gen {\"a\":true,\"b\":[2,1]}");
        String db = Files.readString(dir.resolve(".installed.cfg"));
        assertThat(db).contains("computed = gen-computed").doesNotContain("secret =").contains("[gen]");
    }

    @Test
    void anEmptyInstalledOptionDisablesTheDatabase() {
        run(TWO_PARTS, "buildout:installed=");
        assertThat(Files.exists(dir.resolve(".installed.cfg"))).isFalse();
        events();
        run(TWO_PARTS, "buildout:installed=");
        assertThat(events()).containsExactly("install a", "install c", "install b");
    }

    @Test
    void theRecipeConstructorRunsBeforeAnyUninstall() {
        run(TWO_PARTS);
        events();
        // b changes and a refers to a missing option: the error comes before b is uninstalled
        assertThatThrownBy(() -> run(TWO_PARTS.replace("content = A", "content = ${c:nope}").replace("uses", "now")))
                .isInstanceOf(BuildoutException.class).hasMessageContaining("Referenced option does not exist: c nope");
        assertThat(events()).isEmpty();
        assertThat(db().parts()).containsExactly("a", "c", "b");
    }

    @Test
    void valuesThatTheFileFormatCannotKeepExactlyDoNotReinstallForever() {
        String profile = "[buildout]\nparts = t\n[t]\nrecipe = test.recipes:file\npath = t.txt\n"
                + "content =\n\tfirst\n\t\ttab-indented\n  \n\tlast  \n";
        assertThat(run(profile).outcome("t")).contains(Outcome.INSTALLED);
        assertThat(run(profile).outcome("t")).contains(Outcome.UPDATED);
        assertThat(run(profile.replace("last", "changed")).outcome("t")).contains(Outcome.REINSTALLED);
    }

    @Test
    void independentBuildoutsRunInParallel() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<InstallReport>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Path partition = dir.resolve("slappart" + i);
                Path cfg = write(partition, "buildout.cfg", TWO_PARTS.replace("content = A", "content = A" + i));
                runs.add(pool.submit(() -> Buildout.builder(cfg).build().install()));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertThat(runs.get(i).get().parts()).hasSize(3);
                assertThat(Files.readString(dir.resolve("slappart" + i + "/a.txt"))).isEqualTo("A" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
