package org.slapgrid.buildout.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.slapgrid.buildout.spi.RecipeFactory;

/**
 * The recipe factories found with {@link ServiceLoader}, by normalised SlapOS-style name
 * ({@code egg} and {@code egg:default} are the same recipe).
 */
public final class RecipeRegistry {

    private final Map<String, RecipeFactory> byName = new HashMap<>();

    /** Found factories per class loader: scanning a large class path on every run would dominate a re-run. */
    private static final Map<ClassLoader, RecipeRegistry> FOUND = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    public static RecipeRegistry load(ClassLoader loader) {
        RecipeRegistry cached = FOUND.get(loader);
        if (cached != null) {
            return cached;
        }
        RecipeRegistry r = new RecipeRegistry();
        try {
            for (RecipeFactory f : ServiceLoader.load(RecipeFactory.class, loader)) {
                r.register(f);
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new org.slapgrid.buildout.spi.BuildoutException(org.slapgrid.buildout.spi.BuildoutException.Kind.CONFIGURATION,
                    null, null, null, "cannot load the recipes: " + e.getMessage(), e);
        }
        FOUND.put(loader, r);
        return r;
    }

    public static RecipeRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl == null ? RecipeRegistry.class.getClassLoader() : cl);
    }

    /** Adds a factory under each of its names; the first registration of a name wins. */
    public RecipeRegistry register(RecipeFactory factory) {
        for (String n : factory.names()) {
            byName.putIfAbsent(normalise(n), factory);
        }
        return this;
    }

    /** Adds this registry's names to {@code other} where it has none. */
    public void copyInto(RecipeRegistry other) {
        byName.forEach(other.byName::putIfAbsent);
    }

    public Optional<RecipeFactory> find(String recipe) {
        return Optional.ofNullable(byName.get(normalise(recipe)));
    }

    /** {@code "x"} and {@code "x:default"} name the same recipe; surrounding blanks are ignored. */
    public static String normalise(String recipe) {
        String r = recipe.strip();
        return r.indexOf(':') >= 0 ? r : r + ":default";
    }
}
