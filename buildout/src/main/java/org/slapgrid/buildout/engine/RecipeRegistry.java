package org.slapgrid.buildout.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

import org.slapgrid.buildout.spi.RecipeFactory;

/**
 * The recipe factories found with {@link ServiceLoader}, by normalised SlapOS-style name
 * ({@code egg} and {@code egg:default} are the same recipe).
 */
public final class RecipeRegistry {

    private final Map<String, RecipeFactory> byName = new HashMap<>();

    /**
     * Where names not registered yet are looked up, once, at the first miss (then dropped): the
     * {@link ServiceLoader} scan, which reads every jar and module of the class path and
     * instantiates every factory, so that a profile whose recipes were all registered up front
     * never pays for it. Null: none.
     */
    private Supplier<RecipeRegistry> more;

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

    /** Consults {@code more} at the first name this registry lacks; names registered here first keep precedence. */
    public RecipeRegistry orElse(Supplier<RecipeRegistry> more) {
        this.more = more;
        return this;
    }

    public Optional<RecipeFactory> find(String recipe) {
        String name = normalise(recipe);
        RecipeFactory f = byName.get(name);
        if (f == null && more != null) {
            Supplier<RecipeRegistry> m = more;
            more = null;
            m.get().copyInto(this);
            f = byName.get(name);
        }
        return Optional.ofNullable(f);
    }

    /** {@code "x"} and {@code "x:default"} name the same recipe; surrounding blanks are ignored. */
    public static String normalise(String recipe) {
        String r = recipe.strip();
        return r.indexOf(':') >= 0 ? r : r + ":default";
    }
}
