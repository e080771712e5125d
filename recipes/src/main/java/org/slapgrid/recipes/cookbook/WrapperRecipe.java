package org.slapgrid.recipes.cookbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;
import org.slapgrid.recipes.support.Shell;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.slap.ServiceTags;

/**
 * {@code slapos.cookbook:wrapper}: writes {@code wrapper-path}, a shell script (mode 0700) that
 * execs {@code command-line} with {@code environment}. With {@code hash-files} /
 * {@code hash-existing-files} the file name gets {@code -<md5 of those files>}, so a changed
 * configuration yields a new service name and the supervisor restarts it. {@code tags} (words)
 * are recorded next to the wrapper ({@link ServiceTags}): actions by tag select the service by them.
 */
public final class WrapperRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:wrapper");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new WrapperRecipe(buildout, options);
        }
    }

    /** Options of SlapOS's wrapper that need its Python launcher; refused rather than ignored. */
    private static final List<String> UNSUPPORTED = List.of("private-tmpfs", "reserve-cpu", "sig-ign", "redirect-signal");

    private final BuildoutContext buildout;
    private final Options options;
    private final Path basePath;
    private final List<String> command;
    private final Map<String, String> environment;
    private final List<Path> hashFiles;
    private final List<Path> waitForFiles;
    private final String pidFile;
    private final String stdout;
    private final String stderr;
    private final List<String> tags;

    WrapperRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.options = options;
        for (String option : UNSUPPORTED) {
            if (!options.get(option, "").isBlank()) {
                throw options.error(option, "not supported by slapgrid's wrapper");
            }
        }
        this.basePath = OptionValues.requiredPath(buildout, options, "wrapper-path");
        String commandLine = options.required("command-line");
        try {
            this.command = Shell.split(commandLine);
        } catch (IllegalArgumentException e) {
            throw options.error("command-line", "cannot split into arguments: " + e.getMessage());
        }
        if (command.isEmpty()) {
            throw options.error("command-line", "must not be empty");
        }
        this.environment = new TreeMap<>(OptionValues.environment(options, "environment"));
        List<Path> hashed = new ArrayList<>();
        OptionValues.words(options, "hash-files").forEach(f -> hashed.add(OptionValues.path(buildout, f)));
        List<Path> existing = new ArrayList<>();
        OptionValues.words(options, "hash-existing-files").forEach(f -> existing.add(OptionValues.path(buildout, f)));
        for (Path file : existing) {
            if (!Files.isRegularFile(file)) {
                throw options.error("hash-existing-files", "no such file: " + file);
            }
        }
        hashed.addAll(existing);
        this.hashFiles = hashed;
        if (!existing.isEmpty()) {
            // Existing files are hashed now so that a change of them changes the options,
            // and the part is reinstalled (as SlapOS's __hash_files__).
            options.put("__hash_files__", hash(existing));
        }
        this.waitForFiles = OptionValues.words(options, "wait-for-files").stream()
                .map(f -> OptionValues.path(buildout, f)).toList();
        this.pidFile = options.get("pidfile", "").strip();
        this.stdout = options.get("redirect-stdout", "").strip();
        this.stderr = options.get("redirect-stderr", "").strip();
        this.tags = ServiceTags.option(options);
    }

    @Override
    public Collection<Path> install() throws Exception {
        Path path = wrapperPath();
        AtomicFiles.writeIfChanged(path, script(), 0700);
        removeStaleHashedWrappers(path);
        List<Path> installed = new ArrayList<>(List.of(path));
        installed.addAll(ServiceTags.write(path, tags));
        return installed;
    }

    /**
     * Same options: nothing to write, unless a hashed file changed (new wrapper name), in which
     * case the new wrapper replaces the old one so only one copy of the service exists.
     */
    @Override
    public Collection<Path> update() throws Exception {
        Path path = wrapperPath();
        if (Files.isRegularFile(path)) {
            return List.of();
        }
        return install();
    }

    private Path wrapperPath() {
        if (hashFiles.isEmpty()) {
            return basePath;
        }
        for (Path file : hashFiles) {
            if (!Files.isRegularFile(file)) {
                throw Failures.of(options.sectionName(), "hash-files", "no such file: " + file
                        + " (hash-files must list files generated by parts installed before this one)");
            }
        }
        return basePath.resolveSibling(basePath.getFileName() + "-" + hash(hashFiles));
    }

    private void removeStaleHashedWrappers(Path current) throws IOException {
        if (hashFiles.isEmpty() || !Files.isDirectory(basePath.getParent())) {
            return;
        }
        String prefix = basePath.getFileName() + "-";
        try (var siblings = Files.list(basePath.getParent())) {
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                String name = sibling.getFileName().toString();
                if (!sibling.equals(current) && name.startsWith(prefix)
                        && name.substring(prefix.length()).matches("[0-9a-f]{32}")) {
                    buildout.log(options.sectionName(), "Removing outdated wrapper " + sibling);
                    Files.delete(sibling);
                    Files.deleteIfExists(ServiceTags.fileOf(sibling));
                }
            }
        }
    }

    /** MD5 over each file as {@code <length>\n<content>}, the way SlapOS computes it. */
    private String hash(List<Path> files) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (Path file : files) {
                byte[] data = Files.readAllBytes(file);
                md5.update((data.length + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                md5.update(data);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (IOException e) {
            throw Failures.of(options.sectionName(), "hash-files", "cannot read: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String script() {
        StringBuilder s = new StringBuilder("#!/bin/sh -e\n");
        environment.forEach((k, v) -> s.append("export ").append(k).append('=').append(Shell.quote(v)).append('\n'));
        for (Path file : waitForFiles) {
            s.append("while [ ! -e ").append(Shell.quote(file.toString())).append(" ]; do sleep 1; done\n");
        }
        if (!pidFile.isEmpty()) {
            String pid = Shell.quote(pidFile);
            s.append("if [ -s ").append(pid).append(" ] && kill -0 \"$(cat ").append(pid).append(")\" 2>/dev/null; then\n")
             .append("  echo \"already running with pid $(cat ").append(pid).append(")\" >&2; exit 1\n")
             .append("fi\n")
             .append("echo $$ > ").append(pid).append('\n');
        }
        StringBuilder line = new StringBuilder("exec");
        for (String arg : command) {
            if (line.length() >= 40) {
                s.append(line).append(" \\\n");
                line.setLength(0);
                line.append('\t').append(Shell.quote(arg));
            } else {
                line.append(' ').append(Shell.quote(arg));
            }
        }
        line.append(" \"$@\"");
        if (!stdout.isEmpty()) {
            line.append(" >>").append(Shell.quote(stdout));
        }
        if (!stderr.isEmpty()) {
            line.append(" 2>>").append(Shell.quote(stderr));
        }
        return s.append(line).append('\n').toString();
    }
}
