package org.slapgrid.buildout;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.slapgrid.buildout.config.Annotator;
import org.slapgrid.buildout.config.Assignment;
import org.slapgrid.buildout.config.ConfigLoader;
import org.slapgrid.buildout.config.ConfigParser;
import org.slapgrid.buildout.config.LoadedConfig;
import org.slapgrid.buildout.engine.Installer;
import org.slapgrid.buildout.engine.RecipeRegistry;
import org.slapgrid.buildout.engine.Resolver;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.RecipeFactory;

/**
 * The engine's facade: load a profile (with its extends and command-line assignments), then
 * {@link #resolveAll()}, {@link #annotate()} or {@link #install()}.
 *
 * <pre>{@code
 * InstallReport r = Buildout.builder(Path.of("buildout.cfg"))
 *         .assign("buildout:offline=true")
 *         .service(Master.class, master)
 *         .log(System.out::println)
 *         .build()
 *         .install();
 * }</pre>
 *
 * Every error is a {@link BuildoutException}: {@code CONFIGURATION} (bad input, exit 2, nothing
 * touched) or {@code FAILURE} (a part failed, exit 1, the parts before it are recorded).
 */
public final class Buildout {

    private final LoadedConfig config;
    private final java.util.function.Supplier<RecipeRegistry> registry;
    private final Map<Class<?>, Object> services;
    private final Consumer<String> log;

    private Buildout(LoadedConfig config, java.util.function.Supplier<RecipeRegistry> registry, Map<Class<?>, Object> services, Consumer<String> log) {
        this.config = config;
        this.registry = registry;
        this.services = services;
        this.log = log;
    }

    /** A profile given as a local file. */
    public static Builder builder(Path config) {
        return new Builder(config.toString());
    }

    /** A profile given as a path or an {@code http(s)://} / {@code file://} URL. */
    public static Builder builder(String pathOrUrl) {
        return new Builder(pathOrUrl);
    }

    /** Every section after extends, conditions, macros and substitution, sorted; recipes are not run. */
    public Map<String, Map<String, String>> resolveAll() {
        return resolveAll(false);
    }

    /**
     * Every section, sorted. With {@code runRecipeConstructors}, sections with a recipe are
     * initialized as {@link #install()} would (the recipe's constructor phase runs and the
     * options it computes are shown; volatile ones are not), but nothing is installed.
     */
    public Map<String, Map<String, String>> resolveAll(boolean runRecipeConstructors) {
        Resolver resolver = new Resolver(config, runRecipeConstructors ? registry.get() : new RecipeRegistry(),
                runRecipeConstructors, services, log);
        Map<String, Map<String, String>> out = new TreeMap<>();
        try {
            for (String name : resolver.sectionNames()) {
                out.put(name, resolver.section(name).visibleOptions());
            }
        } catch (StackOverflowError e) {
            throw tooDeep(e);
        } catch (InvalidPathException e) {
            throw invalidPath(e);
        }
        return out;
    }

    /** A value used as a path that no file system accepts (a NUL byte...). */
    static BuildoutException invalidPath(InvalidPathException e) {
        return new BuildoutException(BuildoutException.Kind.CONFIGURATION, null, null, null,
                "invalid path '" + e.getInput().replace("\0", "\\0") + "': " + e.getReason(), e);
    }

    /** Sections are initialized recursively, as in buildout; an absurdly long reference chain ends here. */
    private static BuildoutException tooDeep(StackOverflowError e) {
        return new BuildoutException(BuildoutException.Kind.CONFIGURATION, null, null, null,
                "references between sections are nested too deeply", e);
    }

    /** The output of {@code buildout annotate} (terse form). */
    public String annotate() {
        return Annotator.annotate(config, false);
    }

    /** The output of {@code buildout -v annotate}: every step of every value. */
    public String annotate(boolean verbose) {
        return Annotator.annotate(config, verbose);
    }

    /** Runs the part lifecycle and returns what happened to each part. */
    public InstallReport install() {
        try {
            Resolver resolver = new Resolver(config, registry.get(), true, services, log);
            return new Installer(resolver).install();
        } catch (StackOverflowError e) {
            throw tooDeep(e);
        } catch (InvalidPathException e) {
            throw invalidPath(e);
        }
    }

    /** {@code buildout [-v] annotate section...}: only the named sections (all when none). */
    public String annotate(boolean verbose, java.util.Set<String> sections) {
        return Annotator.annotate(config, verbose, sections);
    }

    /** The merged configuration before macros and substitution. */
    public LoadedConfig config() {
        return config;
    }

    /** {@code buildout:directory}. */
    public Path directory() {
        return Path.of(config.data().get("buildout").get("directory").value());
    }

    public static final class Builder {
        private final String config;
        private final List<Assignment> assignments = new ArrayList<>();
        private boolean offline;
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private final Map<Class<?>, Object> services = new LinkedHashMap<>();
        private final List<RecipeFactory> factories = new ArrayList<>();
        private Consumer<String> log = line -> { };
        private ClassLoader classLoader;

        private Builder(String config) {
            this.config = Objects.requireNonNull(config);
        }

        /** A command-line assignment {@code section:option=value} ({@code +=} and {@code -=} too). */
        public Builder assign(String assignment) {
            assignments.add(Assignment.parse(assignment));
            return this;
        }

        public Builder assign(String section, String option, String value) {
            assignments.add(new Assignment(section, option, value));
            return this;
        }

        /** {@code -o}: {@code buildout:offline=true}; remote extends come from the cache only. */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** {@code -N}: {@code buildout:newest=false}. */
        public Builder newest(boolean newest) {
            if (!newest) {
                assignments.add(new Assignment("buildout", "newest", "false"));
            }
            return this;
        }

        /** Where relative command-line paths are resolved (default: the process's directory). */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir.toAbsolutePath();
            return this;
        }

        /** A service recipes can ask for with {@code BuildoutContext.service(type)}. */
        public <T> Builder service(Class<T> type, T implementation) {
            services.put(type, implementation);
            return this;
        }

        /** Progress lines ("Installing x.", "x: message"). Default: discarded. */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log);
            return this;
        }

        /** Extra recipe factories, consulted before those found with ServiceLoader. */
        public Builder recipe(RecipeFactory factory) {
            factories.add(factory);
            return this;
        }

        /** The class loader ServiceLoader searches (default: the thread's context class loader). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** Loads and merges the configuration; a bad profile fails here. */
        public Buildout build() {
            List<Assignment> all = new ArrayList<>();
            if (offline) {
                all.add(new Assignment("buildout", "offline", "true"));
            }
            all.addAll(assignments);
            LoadedConfig loaded;
            try {
                loaded = new ConfigLoader(new ConfigParser()).load(config, all, offline, workingDirectory);
            } catch (InvalidPathException e) {
                throw invalidPath(e);
            }
            List<RecipeFactory> extra = List.copyOf(factories);
            ClassLoader loader = classLoader;
            java.util.function.Supplier<RecipeRegistry> registry = () -> {   // only install needs recipes
                RecipeRegistry r = new RecipeRegistry();
                extra.forEach(r::register);
                // ServiceLoader's only for a recipe the extra factories lack (it was a sixth of a re-run)
                return r.orElse(() -> loader == null ? RecipeRegistry.load() : RecipeRegistry.load(loader));
            };
            return new Buildout(loaded, registry, Map.copyOf(services), log);
        }
    }
}
