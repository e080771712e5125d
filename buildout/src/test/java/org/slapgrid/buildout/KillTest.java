package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.slapgrid.buildout.Profiles.write;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.InstallReport.Outcome;
import org.slapgrid.buildout.engine.InstalledDatabase;

/**
 * Runs installs in a child JVM, kills them with SIGKILL after a random number of progress
 * lines, and checks that {@code .installed.cfg} always parses, that it only records parts
 * whose files exist, and that the next run converges.
 */
class KillTest {

    private static final int PARTS = 40;

    @TempDir
    Path dir;

    private static String profile(int generation) {
        StringBuilder b = new StringBuilder("[buildout]\nparts =");
        // every generation drops a few parts and changes others, so kills land in uninstalls too
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < PARTS; i++) {
            if ((i + generation) % 7 != 0) {
                parts.add("p" + i);
            }
        }
        for (String p : parts) {
            b.append("\n  ").append(p);
        }
        b.append('\n');
        for (int i = 0; i < PARTS; i++) {
            b.append("[p").append(i).append("]\nrecipe = test.recipes:file\npath = out/p").append(i).append(".txt\n")
                    .append("content = ").append(content(i, generation)).append('\n');
        }
        return b.toString();
    }

    @Test
    void killedInstallsNeverCorruptTheStateAndTheNextRunConverges() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        for (int round = 0; round < 4; round++) {
            Path cfg = write(dir, "buildout.cfg", profile(round));
            int killAfter = random.nextInt(PARTS + 5);
            runChildAndKill(cfg, killAfter);
            InstalledDatabase.State state = InstalledDatabase.read(dir.resolve(".installed.cfg"));   // must parse
            for (String part : state.parts()) {
                // a kill between deleting an uninstalled part's files and saving the state leaves
                // the part recorded with its files gone: the next run reinstalls it (checked below)
                int i = Integer.parseInt(part.substring(1));
                assertThat(state.options().get(part).get("content")).as("seed %d round %d: %s", seed, round, part)
                        .isIn(content(i, round), content(i, Math.max(0, round - 1)));
                assertThat(state.options().get(part)).containsKeys(InstalledDatabase.INSTALLED, InstalledDatabase.SIGNATURE);
            }
            // the next run converges ...
            InstallReport report = Buildout.builder(cfg).build().install();
            assertThat(report.parts()).isNotNull();
            InstalledDatabase.State done = InstalledDatabase.read(dir.resolve(".installed.cfg"));
            assertThat(done.parts()).as("seed %d round %d", seed, round)
                    .containsExactlyElementsOf(expectedParts(round));
            for (String part : done.parts()) {
                int i = Integer.parseInt(part.substring(1));
                assertThat(Files.readString(dir.resolve("out/" + part + ".txt"))).isEqualTo(content(i, round));
            }
            // ... and stays converged
            InstallReport again = Buildout.builder(cfg).build().install();
            assertThat(again.parts()).extracting(InstallReport.PartResult::outcome).containsOnly(Outcome.UPDATED);
        }
    }

    private static String content(int part, int generation) {
        return "part " + part + " generation " + (part % 3 == 0 ? generation : 0);
    }

    private static List<String> expectedParts(int generation) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < PARTS; i++) {
            if ((i + generation) % 7 != 0) {
                parts.add("p" + i);
            }
        }
        return parts;
    }

    /** Starts the child and SIGKILLs it once it has printed {@code lines} lines (or lets it finish). */
    private void runChildAndKill(Path cfg, int lines) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), KillTestMain.class.getName(), cfg.toString());
        pb.redirectErrorStream(true);
        Process child = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int seen = 0;
            String line;
            while (seen < lines && (line = out.readLine()) != null) {
                if (line.startsWith("Installing") || line.startsWith("Uninstalling") || line.startsWith("Updating")) {
                    seen++;
                }
            }
            child.destroyForcibly();   // SIGKILL on Linux
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
