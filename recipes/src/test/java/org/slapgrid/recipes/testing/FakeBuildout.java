package org.slapgrid.recipes.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;

/**
 * A small in-memory buildout for unit tests of single recipes: sections of options with
 * {@code ${section:option}} substitution, services, a log. It is a test fixture, not an engine:
 * the end-to-end test runs the real engine.
 */
public final class FakeBuildout implements BuildoutContext {

    private final Path directory;
    private final Map<String, FakeOptions> sections = new LinkedHashMap<>();
    private final Map<Class<?>, Object> services = new HashMap<>();
    public final List<String> log = new ArrayList<>();
    private boolean offline;

    public FakeBuildout(Path directory) {
        this.directory = directory.toAbsolutePath();
        section("buildout").put("directory", this.directory.toString());
        section("buildout").put("parts-directory", this.directory.resolve("parts").toString());
        section("buildout").put("bin-directory", this.directory.resolve("bin").toString());
    }

    /** The section, created empty if missing (test setup). */
    @Override
    public FakeOptions section(String name) {
        return sections.computeIfAbsent(name, n -> new FakeOptions(this, n));
    }

    /** A section with the given options. */
    public FakeOptions section(String name, String... keyValues) {
        FakeOptions options = section(name);
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    public <T> FakeBuildout service(Class<T> type, T service) {
        services.put(type, service);
        return this;
    }

    public FakeBuildout offline(boolean value) {
        offline = value;
        return this;
    }

    /** Runs the factory registered (through ServiceLoader) for the section's recipe. */
    public Recipe create(String sectionName) {
        FakeOptions options = section(sectionName);
        String name = options.get("recipe");
        String key = name.contains(":") ? name : name + ":default";
        for (RecipeFactory factory : ServiceLoader.load(RecipeFactory.class)) {
            for (String n : factory.names()) {
                String k = n.contains(":") ? n : n + ":default";
                if (k.equals(key)) {
                    return factory.create(this, name, options);
                }
            }
        }
        throw new IllegalArgumentException("no recipe registered as " + name);
    }

    public RecipeFactory factory(String recipeName) {
        for (RecipeFactory factory : ServiceLoader.load(RecipeFactory.class)) {
            if (factory.names().contains(recipeName)) {
                return factory;
            }
        }
        throw new IllegalArgumentException("no recipe registered as " + recipeName);
    }

    public Collection<Path> install(String sectionName) throws Exception {
        return create(sectionName).install();
    }

    public Collection<Path> update(String sectionName) throws Exception {
        return create(sectionName).update();
    }

    @Override
    public boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path partsDirectory() {
        return directory.resolve("parts");
    }

    @Override
    public Path binDirectory() {
        return directory.resolve("bin");
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
        log.add(part + ": " + message);
    }
}
