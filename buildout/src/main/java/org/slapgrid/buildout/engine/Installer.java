package org.slapgrid.buildout.engine;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.slapgrid.buildout.InstallReport;
import org.slapgrid.buildout.InstallReport.Outcome;
import org.slapgrid.buildout.InstallReport.PartResult;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;
import org.slapgrid.buildout.spi.Words;

/**
 * The part lifecycle (reference §2.1-2.7): constructor phase for every part, then uninstalls
 * (removed or changed parts, newest first), then install or update in order. The state file
 * is rewritten after every part that changed it, so a failure or a kill keeps the record of
 * every part that succeeded and the next run resumes from there.
 */
public final class Installer {

    /**
     * Our {@code __buildout_signature__}: the normalised recipe name, the factory class and
     * its implementation version, and this format's version. A recipe implementation change
     * (a new release of the recipes jar) therefore reinstalls its parts, as an egg upgrade does.
     */
    static final String SIGNATURE_FORMAT = "slapgrid-1";

    private final Resolver resolver;

    public Installer(Resolver resolver) {
        this.resolver = resolver;
    }

    public InstallReport install() {
        Section buildout = resolver.section("buildout");
        String installedOption = buildout.get("installed", "");
        Path dbFile = installedOption.isEmpty() ? null : Path.of(installedOption);
        InstalledDatabase.State old = dbFile == null ? InstalledDatabase.State.empty() : InstalledDatabase.read(dbFile);

        Map<String, Map<String, String>> newOptions = construct(buildout);
        createDirectories(buildout);
        Run run = new Run(dbFile, old);
        run.uninstallChanged(old, newOptions);
        for (String part : newOptions.keySet()) {
            run.installOrUpdate(part, newOptions.get(part));
        }
        run.saveIfReordered();
        return new InstallReport(run.results);
    }

    /**
     * Constructor phase: every recipe is created before anything is touched. Returns the
     * options each part of the install order would be recorded with (its signature included).
     */
    private Map<String, Map<String, String>> construct(Section buildout) {
        for (String part : Words.split(buildout.get("parts", ""))) {
            Section s = resolver.section(part, "buildout", "parts", buildout.locationOf("parts"));
            if (s.recipe() == null) {
                throw BuildoutException.configuration(buildout.locationOf("parts"), part, "recipe",
                        "Missing option: " + part + ":recipe");
            }
        }
        Map<String, Map<String, String>> newOptions = new LinkedHashMap<>();
        for (String part : resolver.parts()) {
            Section s = resolver.initialized(part);
            Map<String, String> o = new TreeMap<>(s.signatureOptions());
            o.put(InstalledDatabase.SIGNATURE, signature(s));
            newOptions.put(part, o);
        }
        return newOptions;
    }

    /**
     * One run's record of what is installed, saved to the state file after every part that
     * changed it (a failure or a kill keeps every part that succeeded), and what it did.
     */
    private final class Run {
        private final Path dbFile;
        private final List<String> installed;
        private final Map<String, Map<String, String>> saved;
        private final List<PartResult> results = new ArrayList<>();
        private final Set<String> reinstall = new LinkedHashSet<>();
        private List<String> lastSavedParts;

        Run(Path dbFile, InstalledDatabase.State old) {
            this.dbFile = dbFile;
            this.installed = new ArrayList<>(old.parts());
            this.saved = new LinkedHashMap<>(old.options());
            this.lastSavedParts = List.copyOf(old.parts());
        }

        /** Uninstall phase, newest first: parts removed from the install order, or changed (reinstalled later). */
        void uninstallChanged(InstalledDatabase.State old, Map<String, Map<String, String>> newOptions) {
            List<String> reversed = new ArrayList<>(old.parts());
            Collections.reverse(reversed);
            for (String part : reversed) {
                Map<String, String> before = old.options().get(part);
                boolean kept = newOptions.containsKey(part);
                if (kept) {
                    if (unchanged(before, newOptions.get(part))) {
                        continue;
                    }
                    reinstall.add(part);
                }
                resolver.engineLog("Uninstalling " + part + ".");
                uninstall(part, before);
                installed.remove(part);
                saved.remove(part);
                save();
                if (!kept) {
                    results.add(new PartResult(part, Outcome.UNINSTALLED));
                }
            }
        }

        /** Install phase, one part in install order: updated when still installed, else installed. */
        void installOrUpdate(String part, Map<String, String> options) {
            Recipe recipe = resolver.initialized(part).recipe();
            if (installed.contains(part)) {
                update(part, recipe, options);
            } else {
                resolver.engineLog("Installing " + part + ".");
                Collection<Path> created;
                try {
                    created = recipe.install();
                } catch (Exception | LinkageError e) {
                    throw failure(part, "install", e);
                }
                Map<String, String> o = new TreeMap<>(options);
                o.put(InstalledDatabase.INSTALLED, String.join("\n", strings(created)));
                saved.put(part, o);
                installed.add(part);
                save();
                results.add(new PartResult(part, reinstall.contains(part) ? Outcome.REINSTALLED : Outcome.INSTALLED));
            }
        }

        /** An unchanged part's update: a failure uninstalls it; new paths join its record. */
        private void update(String part, Recipe recipe, Map<String, String> options) {
            resolver.engineLog("Updating " + part + ".");
            List<String> recorded = paths(saved.get(part).get(InstalledDatabase.INSTALLED));
            Collection<Path> more;
            try {
                more = recipe.update();
            } catch (Exception | LinkageError e) {
                installed.remove(part);
                removePaths(recorded);
                saved.remove(part);
                save();
                throw failure(part, "update", e);
            }
            List<String> added = new ArrayList<>();
            for (String p : strings(more)) {
                if (!recorded.contains(p) && !added.contains(p)) {
                    added.add(p);
                }
            }
            results.add(new PartResult(part, Outcome.UPDATED));
            installed.remove(part);   // as buildout: the part moves to the end of the install record
            installed.add(part);
            if (!added.isEmpty()) {
                List<String> all = new ArrayList<>(recorded);
                all.addAll(added);
                Map<String, String> o = new TreeMap<>(options);
                o.put(InstalledDatabase.INSTALLED, String.join("\n", all));
                saved.put(part, o);
                save();
            }
        }

        /** Only the order changed (updated parts moved to the end); an unchanged run writes nothing. */
        void saveIfReordered() {
            if (dbFile != null && !installed.equals(lastSavedParts)) {
                save();
            }
        }

        private void save() {
            lastSavedParts = List.copyOf(installed);
            if (dbFile == null) {
                return;
            }
            Map<String, Map<String, String>> opts = new LinkedHashMap<>();
            for (String p : installed) {
                opts.put(p, Objects.requireNonNull(saved.get(p)));
            }
            InstalledDatabase.write(dbFile, new InstalledDatabase.State(List.copyOf(installed), opts));
        }
    }

    private static BuildoutException failure(String part, String phase, Throwable e) {
        if (e instanceof BuildoutException be) {
            return be.kind() == BuildoutException.Kind.FAILURE ? be
                    : new BuildoutException(BuildoutException.Kind.FAILURE, be.location(), part, be.option(),
                    phase + " failed: " + be.detail(), be);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return BuildoutException.failure(part, phase + " failed: " + msg, e);
    }

    /** Same options (recorded paths aside) and every recorded path still there. */
    private boolean unchanged(Map<String, String> before, Map<String, String> now) {
        Map<String, String> b = new TreeMap<>(before);
        String recorded = b.remove(InstalledDatabase.INSTALLED);
        if (!b.keySet().equals(now.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            String saved = b.get(e.getKey());
            // buildout's file format loses some blanks (a tab starting a line): compare with
            // what the new value would read back as, or such a part would reinstall forever
            if (!saved.equals(e.getValue()) && !saved.equals(InstalledDatabase.roundTrip(e.getValue()))) {
                return false;
            }
        }
        for (String p : paths(recorded)) {
            if (!Files.exists(resolve(p), LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    private void uninstall(String part, Map<String, String> savedOptions) {
        String recipe = savedOptions.get("recipe");
        if (recipe != null) {
            RecipeFactory factory = resolver.registry().find(recipe).orElse(null);
            if (factory != null) {
                Map<String, String> opts = new TreeMap<>(savedOptions);
                try {
                    factory.uninstall(part, opts, resolver.directory());
                } catch (Exception e) {
                    throw failure(part, "uninstall", e);
                }
            }
        }
        removePaths(paths(savedOptions.get(InstalledDatabase.INSTALLED)));
    }

    private void removePaths(List<String> paths) {
        for (String p : paths) {
            Path path = resolve(p);
            try {
                deleteRecursively(path);
            } catch (IOException e) {
                throw BuildoutException.failure(null, "cannot remove " + path + ": " + e.getMessage(), e);
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } else {
            Files.deleteIfExists(path);
        }
    }

    private Path resolve(String p) {
        return resolver.directory().resolve(p);
    }

    private static List<String> paths(String recorded) {
        List<String> out = new ArrayList<>();
        if (recorded != null) {
            for (String p : recorded.split("\n")) {
                if (!p.isBlank()) {
                    out.add(p.strip());
                }
            }
        }
        return out;
    }

    private static List<String> strings(Collection<Path> paths) {
        List<String> out = new ArrayList<>();
        if (paths != null) {
            for (Path p : paths) {
                if (p != null) {
                    out.add(p.toString());
                }
            }
        }
        return out;
    }

    private void createDirectories(Section buildout) {
        for (String name : List.of("bin-directory", "parts-directory")) {
            Path d = Path.of(buildout.get(name));
            if (!Files.isDirectory(d)) {
                try {
                    Files.createDirectories(d);
                    resolver.engineLog("Creating directory '" + d + "'.");
                } catch (IOException e) {
                    throw BuildoutException.failure(null, "cannot create " + d + ": " + e.getMessage(), e);
                }
            }
        }
    }

    static String signature(Section s) {
        RecipeFactory f = s.factory();
        String version = f.getClass().getPackage() == null ? null : f.getClass().getPackage().getImplementationVersion();
        return RecipeRegistry.normalise(s.recipeName()).replace(' ', '_') + " " + f.getClass().getName() + "-"
                + (version == null ? "dev" : version) + " " + SIGNATURE_FORMAT;
    }
}
