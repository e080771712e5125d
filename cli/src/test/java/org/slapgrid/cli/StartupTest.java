package org.slapgrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the short commands load, in a fresh JVM with its class loading logged: no JSON, HTTP,
 * web or template machinery for {@code --version}, {@code --help} or an unchanged re-run, and
 * not even picocli's model (built by reflection, it was most of their start-up): the start-up
 * cost of every command is the classes it loads.
 */
class StartupTest {

    /** Packages a short command must not load. */
    static final List<String> HEAVY = List.of("com.fasterxml.jackson.", "io.javalin.", "org.eclipse.jetty.",
            "gg.jte.", "java.net.http.", "org.slapgrid.master.", "org.jline.", "com.hubspot.jinjava.");

    @TempDir
    Path dir;

    record Run(String out, List<String> loaded) {
    }

    private Run slapos(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-Xlog:class+load:file=" + dir.resolve("classes.log"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> loaded = Files.readAllLines(dir.resolve("classes.log")).stream()
                .map(l -> l.replaceFirst("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] *", "").replaceFirst(" .*", ""))
                .toList();
        return new Run(out, loaded);
    }

    private static List<String> heavy(Run run) {
        return run.loaded().stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).toList();
    }

    /**
     * What of picocli shows a command line was built and parsed: its model (built by reflection),
     * its annotation reading and its parser. ({@code --help} asks picocli's ANSI detection, to
     * colour as picocli would, which loads a few of its classes, not these.)
     */
    private static List<String> picocli(Run run) {
        return run.loaded().stream().filter(c -> c.equals("picocli.CommandLine$Model$CommandSpec")
                || c.startsWith("picocli.CommandLine$Model$CommandReflection") || c.startsWith("picocli.CommandLine$Interpreter"))
                .toList();
    }

    @Test
    void versionAndHelpLoadNoVerbMachinery() throws Exception {
        Run version = slapos("--version");
        assertThat(version.out()).startsWith("slapos (slapgrid)");
        assertThat(heavy(version)).isEmpty();
        assertThat(version.loaded()).noneMatch(c -> c.startsWith("org.slapgrid.cli.console."));
        assertThat(picocli(version)).as("--version without picocli").isEmpty();

        Run help = slapos("--help");
        for (String verb : List.of("master", "supply", "request", "remove", "list", "info", "console", "token", "user",
                "buildout", "node", "demo")) {
            assertThat(help.out()).containsPattern("(?m)^  " + verb + " ");
        }
        assertThat(heavy(help)).isEmpty();
        assertThat(picocli(help)).as("--help without picocli's model").isEmpty();
        assertThat(help.loaded()).as("no verb class loaded for --help").noneMatch(c -> c.startsWith("org.slapgrid.cli.console."));
        // The summaries are the commands' SUMMARY constants, which javac copies into Main: reading them loads no command.
        assertThat(help.loaded()).as("no command class loaded for --help")
                .noneMatch(c -> Main.VERBS.stream().anyMatch(v -> v.className().equals(c)));
    }

    /**
     * JDK 17's class-data sharing skips class files older than Java 6 (major version 50) and
     * checks them with the old verifier at every start: picocli's binary jar is such (Java 5),
     * which is why the build compiles picocli from its sources (picocli/README.md).
     */
    @Test
    void theShortCommandsLoadNoClassTooOldToArchive() throws Exception {
        List<String> tooOld = new ArrayList<>();
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"})) {
            for (String c : slapos(args).loaded()) {
                var resource = ClassLoader.getSystemResource(c.replace('.', '/') + ".class");
                if (resource == null || c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                    continue;   // the JDK's own, or generated at run time (lambdas, proxies)
                }
                try (var in = resource.openStream()) {
                    byte[] head = in.readNBytes(8);
                    int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                    if (major < 50) {
                        tooOld.add(c + " (class file version " + major + ")");
                    }
                }
            }
        }
        assertThat(tooOld).as("classes the class-data archive cannot hold").isEmpty();
    }

    @Test
    void unchangedBuildoutRerunLoadsNoJson() throws Exception {
        StringBuilder cfg = new StringBuilder("[buildout]\nparts = a b\n\n[shared]\nword = hi\n");
        for (String part : List.of("a", "b")) {
            cfg.append("\n[").append(part).append("]\nrecipe = slapos.recipe.template\ninline = ${shared:word}\n")
                    .append("output = ${buildout:parts-directory}/").append(part).append('\n');
        }
        Files.writeString(dir.resolve("buildout.cfg"), cfg);
        slapos("buildout");
        Run rerun = slapos("buildout");
        assertThat(rerun.out()).contains("Updating a");
        assertThat(heavy(rerun)).isEmpty();
        assertThat(picocli(rerun)).as("a plain buildout install without picocli").isEmpty();
    }
}
