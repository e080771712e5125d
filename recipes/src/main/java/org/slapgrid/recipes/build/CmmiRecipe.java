package org.slapgrid.recipes.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Downloader;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;
import org.slapgrid.recipes.support.Shell;
import org.slapgrid.buildout.spi.Recipe;

/**
 * {@code slapos.recipe.cmmi}: configure, make, make install. Source: {@code url} (an archive,
 * {@code md5sum}/{@code sha256} checked, unpacked into {@code <location>__compile__}) or
 * {@code path} (a source directory, built in place). Steps, each through {@code sh} with the
 * {@code environment} lines, the output in the log and {@code timeout} seconds (default 3600)
 * each: {@code patches} (lines {@code path-or-url[#md5]}, applied with {@code patch-binary}
 * {@code patch-options}), {@code pre-configure}, {@code configure-command} (default
 * {@code ./configure}) + {@code --prefix=<prefix>} + {@code configure-options}, {@code pre-make},
 * {@code make make-options}, {@code pre-install}, {@code make make-targets} (default install),
 * {@code post-install}. A failure removes the half-installed {@code location} and keeps the
 * build directory for inspection. Outputs {@code location}, {@code prefix},
 * {@code compile-directory}.
 */
public final class CmmiRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.recipe.cmmi", "slapos.recipe.cmmi:default");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new CmmiRecipe(buildout, options);
        }
    }

    private final BuildoutContext buildout;
    private final Options options;
    private final String section;
    private final Path location;
    private final Path prefix;
    private final Path compileDirectory;
    private final Optional<String> url;
    private final Optional<Path> sourcePath;
    private final Map<String, String> environment;
    private final List<String> patches;
    private final int timeout;

    CmmiRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.options = options;
        this.section = options.sectionName();
        String urlValue = options.get("url", "").strip();
        String pathValue = options.get("path", "").strip();
        if (!urlValue.isEmpty() && !pathValue.isEmpty()) {
            throw options.error("path", "You must use either \"url\" or \"path\", not both!");
        }
        if (urlValue.isEmpty() && pathValue.isEmpty()) {
            throw options.error("url", "You must provide either \"url\" or \"path\".");
        }
        this.url = urlValue.isEmpty() ? Optional.empty() : Optional.of(urlValue);
        this.sourcePath = OptionValues.optionalPath(buildout, options, "path");
        if (sourcePath.isPresent() && !Files.isDirectory(sourcePath.get())) {
            throw options.error("path", "no such directory: " + sourcePath.get());
        }
        Checksum.fromOptions(options);
        this.location = OptionValues.partDirectory(buildout, options, "location");
        this.prefix = OptionValues.optionalPath(buildout, options, "prefix").orElse(location);
        this.compileDirectory = location.resolveSibling(location.getFileName() + "__compile__");
        this.environment = new LinkedHashMap<>();
        // As SlapOS, values may use the node's environment: PATH=/opt/x/bin:%(PATH)s.
        OptionValues.environment(options, "environment").forEach((k, v) -> environment.put(k, expandEnvironment(v)));
        this.patches = OptionValues.lines(options, "patches");
        for (String patch : patches) {
            int hash = patch.indexOf('#');
            if (hash >= 0 && !patch.substring(hash + 1).matches("[0-9a-fA-F]{32}")) {
                throw options.error("patches", "expected path-or-url#<md5>, got '" + patch + "'");
            }
        }
        this.timeout = ShellCommand.timeout(options);
        options.put("location", location.toString());
        options.put("prefix", prefix.toString());
        options.put("compile-directory", compileDirectory.toString());
    }

    private static String expandEnvironment(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("%\\(([A-Za-z_][A-Za-z0-9_]*)\\)s|%%").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) == null ? "%" : System.getenv().getOrDefault(m.group(1), "");
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    @Override
    public Collection<Path> install() throws Exception {
        Path source;
        if (url.isPresent()) {
            AtomicFiles.deleteTree(compileDirectory);
            ArchiveInstaller.install(buildout, section, "url", url.get(), Checksum.fromOptions(options), null, compileDirectory);
            source = compileDirectory;
        } else {
            source = sourcePath.orElseThrow();
        }
        try {
            build(source);
        } catch (RuntimeException | Error e) {
            AtomicFiles.deleteTree(location);
            throw e;
        }
        if (url.isPresent() && !Bools.option(options, "keep-compile-dir", false)) {
            AtomicFiles.deleteTree(compileDirectory);
        }
        return List.of(location);
    }

    /** Same options: the software is built already. */
    @Override
    public Collection<Path> update() {
        return List.of();
    }

    private void build(Path source) throws Exception {
        applyPatches(source);
        step("pre-configure", options.get("pre-configure", ""), source);
        String configure = options.get("configure-command", "./configure").strip();
        String configureOptions = options.get("configure-options", "").replace('\n', ' ').strip();
        if (!configure.isEmpty()) {
            StringBuilder line = new StringBuilder(configure);
            if (!configureOptions.contains("--prefix")) {
                line.append(" --prefix=").append(Shell.quote(prefix.toString()));
            }
            if (!configureOptions.isEmpty()) {
                line.append(' ').append(configureOptions);
            }
            step("configure-command", line.toString(), source);
        }
        String make = options.get("make-binary", "make").strip();
        String makeOptions = options.get("make-options", "").replace('\n', ' ').strip();
        step("pre-make", options.get("pre-make", options.get("pre-build", "")), source);
        step("make-options", (make + " " + makeOptions).strip(), source);
        step("pre-install", options.get("pre-install", ""), source);
        String targets = options.get("make-targets", "install").replace('\n', ' ').strip();
        step("make-targets", (make + " " + makeOptions + " " + targets).strip(), source);
        step("post-install", options.get("post-install", ""), source);
    }

    private void applyPatches(Path source) throws Exception {
        String binary = options.get("patch-binary", "patch").strip();
        String patchOptions = options.get("patch-options", "-p0").strip();
        Downloader downloader = new Downloader(buildout, section, "patches");
        int n = 0;
        for (String patch : patches) {
            int hash = patch.indexOf('#');
            String where = hash < 0 ? patch : patch.substring(0, hash);
            Optional<Checksum> sum = hash < 0 ? Optional.empty()
                    : Optional.of(new Checksum("patches", "MD5", patch.substring(hash + 1).toLowerCase(java.util.Locale.ROOT)));
            Path file = compileDirectory.resolveSibling(compileDirectory.getFileName() + ".patch" + (n++));
            try {
                downloader.download(where, sum, file);
                step("patches", binary + " " + patchOptions + " < " + Shell.quote(file.toString()), source);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private void step(String option, String command, Path directory) throws Exception {
        if (command.isBlank()) {
            return;
        }
        buildout.log(section, "Running " + command.strip());
        Map<String, String> env = new LinkedHashMap<>(environment);
        ShellCommand.Result result = ShellCommand.run(buildout, section, command, directory, env, timeout);
        if (!result.ok()) {
            throw Failures.of(section, option, "'" + command.strip() + "' failed: " + result.describe(timeout)
                    + " (build directory kept: " + directory + ")");
        }
    }
}
