package org.slapgrid.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training runs of the CLI's class-data-sharing archives: {@code bin/slapos} runs this once
 * per build and archive with {@code -XX:DumpLoadedClassList} and dumps a static archive of the
 * classes listed, so that an archive holds what the short commands load, not only what the first
 * command after a build happened to load. {@code fast}: what {@link Main#fastPath} runs
 * ({@code --version}, {@code --help}, a {@code buildout} first install, unchanged re-run and
 * update), nothing more, since every class archived is memory mapped by every start;
 * {@code all} (the default): also picocli's commands ({@code buildout --help},
 * {@code resolve --json}, {@code node --help}). Output is discarded; a failure only makes the
 * archive smaller.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("slapos-cds-");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(none);
        System.setErr(none);
        try {
            StringBuilder profile = new StringBuilder("[buildout]\nparts = a b\n\n[shared]\nword = hello\n");
            for (String part : new String[] {"a", "b"}) {
                profile.append("\n[").append(part).append("]\nrecipe = slapos.recipe.template\n")
                        .append("inline = ${shared:word} ").append(part).append('\n')
                        .append("output = ${buildout:parts-directory}/").append(part).append(".txt\n");
            }
            Path cfg = dir.resolve("buildout.cfg");
            Files.writeString(cfg, profile);
            String c = cfg.toString();
            String d = "buildout:directory=" + dir;
            Main.run("--version");
            Main.run("--help");
            Main.run("buildout", "-c", c, d);                        // first install
            Main.run("buildout", "-c", c, d);                        // unchanged re-run
            Main.run("buildout", "-c", c, d, "shared:word=changed"); // update
            if (args.length == 0 || !args[0].equals("fast")) {
                Main.run("buildout", "--help");
                Main.run("buildout", "-c", c, d, "resolve", "--json");
                Main.run("node", "--help");
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
