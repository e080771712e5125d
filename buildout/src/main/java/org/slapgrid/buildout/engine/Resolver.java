package org.slapgrid.buildout.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.slapgrid.buildout.config.LoadedConfig;
import org.slapgrid.buildout.config.MergedValue;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;

/**
 * The live configuration (zc.buildout's {@code Buildout} mapping): sections are initialized on
 * first access, and a section with a recipe becomes a part, appended to the install order
 * after the sections it referenced while initializing (reference §2.1).
 */
public final class Resolver implements BuildoutContext {

    static final List<String> BOOLEAN_OPTIONS = List.of("offline", "newest", "install-from-cache", "prefer-final",
            "allow-picked-versions", "use-dependency-links", "show-picked-versions", "allow-unknown-extras");

    private final Map<String, Map<String, MergedValue>> raw;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private final List<String> parts = new ArrayList<>();
    private final RecipeRegistry registry;
    private final boolean recipesEnabled;
    private final Map<Class<?>, Object> services;
    private final Consumer<String> log;
    private Path directory;
    private Path partsDirectory;
    private Path binDirectory;
    private boolean offline;

    public Resolver(LoadedConfig config, RecipeRegistry registry, boolean recipesEnabled,
                    Map<Class<?>, Object> services, Consumer<String> log) {
        this.raw = withAbsoluteDirectories(config.data());
        this.registry = registry;
        this.recipesEnabled = recipesEnabled;
        this.services = Map.copyOf(services);
        this.log = log;
        initializeBuildout();
    }

    /**
     * zc.buildout joins the standard directories to {@code directory} before substitution (so
     * that [buildout] itself sees absolute values), unless they contain a substitution.
     */
    private static Map<String, Map<String, MergedValue>> withAbsoluteDirectories(Map<String, Map<String, MergedValue>> data) {
        Map<String, MergedValue> b = data.get("buildout");
        MergedValue dir = b == null ? null : b.get("directory");
        if (dir == null || dir.value().contains("${")) {
            return data;
        }
        Map<String, Map<String, MergedValue>> copy = new LinkedHashMap<>(data);
        Map<String, MergedValue> nb = new LinkedHashMap<>(b);
        Path base = Path.of(dir.value());
        for (String name : List.of("bin-directory", "parts-directory", "eggs-directory", "develop-eggs-directory")) {
            MergedValue v = nb.get(name);
            if (v != null && !v.value().contains("${")) {
                nb.put(name, v.directory(base.resolve(v.value()).normalize().toString()));
            }
        }
        copy.put("buildout", nb);
        return copy;
    }

    /** [buildout] first, as zc.buildout does: directories made absolute (again, after substitution), booleans checked. */
    private void initializeBuildout() {
        Section b = section("buildout");
        directory = Path.of(b.get("directory")).toAbsolutePath().normalize();
        for (String name : List.of("bin-directory", "parts-directory", "eggs-directory", "develop-eggs-directory")) {
            String v = b.get(name);
            String abs = directory.resolve(v).normalize().toString();
            if (!abs.equals(v)) {
                b.put(name, abs);
            }
        }
        String installed = b.get("installed", "");
        if (!installed.isEmpty()) {
            String abs = directory.resolve(installed).normalize().toString();
            if (!abs.equals(installed)) {
                b.put("installed", abs);
            }
        }
        for (String opt : BOOLEAN_OPTIONS) {
            Optional<String> v = b.find(opt);
            if (v.isPresent() && !v.get().equals("true") && !v.get().equals("false")) {
                throw BuildoutException.configuration(b.locationOf(opt), "buildout", opt,
                        "Invalid value for '" + opt + "' option: '" + v.get() + "'");
            }
        }
        partsDirectory = Path.of(b.get("parts-directory"));
        binDirectory = Path.of(b.get("bin-directory"));
        offline = b.get("offline").equals("true");
    }

    boolean recipesEnabled() {
        return recipesEnabled;
    }

    RecipeRegistry registry() {
        return registry;
    }

    void addPart(String name) {
        parts.add(name);
    }

    /** Parts in install order: the ones initialized so far. */
    public List<String> parts() {
        return Collections.unmodifiableList(parts);
    }

    Map<String, MergedValue> rawSection(String name) {
        return raw.get(name);
    }

    /** Every section name of the merged configuration, sorted. */
    public List<String> sectionNames() {
        return new ArrayList<>(new TreeMap<>(raw).keySet());
    }

    /** A section, initialized on first access; a missing one is reported against the referrer. */
    Section section(String name, String fromSection, String fromOption, SourceLocation where) {
        Section s = sections.get(name);
        if (s != null) {
            return s;
        }
        Map<String, MergedValue> data = raw.get(name);
        if (data == null) {
            throw BuildoutException.configuration(where, fromSection, fromOption,
                    "The referenced section, '" + name + "', was not defined.");
        }
        s = new Section(this, name, new LinkedHashMap<>(data));
        sections.put(name, s);   // registered first: a section may refer to itself while initializing
        try {
            s.initialize();
        } catch (RuntimeException e) {
            sections.remove(name);
            throw e;
        }
        return s;
    }

    /** The initialized section, or null when it is not (yet) initialized. */
    Section initialized(String name) {
        return sections.get(name);
    }

    // ----------------------------------------------------------------------------- BuildoutContext

    @Override
    public Section section(String name) {
        return section(name, null, null, null);
    }

    @Override
    public boolean hasSection(String name) {
        return raw.containsKey(name);
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path partsDirectory() {
        return partsDirectory;
    }

    @Override
    public Path binDirectory() {
        return binDirectory;
    }

    @Override
    public boolean offline() {
        return offline;
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    @Override
    public void log(String part, String message) {
        log.accept(part + ": " + message);
    }

    /** Log a line from the engine itself (no part prefix). */
    void engineLog(String message) {
        log.accept(message);
    }
}
