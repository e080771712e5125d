package org.slapgrid.buildout.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slapgrid.buildout.config.MergedValue;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;
import org.slapgrid.buildout.spi.SourceLocation;
import org.slapgrid.buildout.spi.Words;

/**
 * One initialized section (zc.buildout's {@code Options}): macros expanded, every option that
 * contains {@code ${} substituted on initialization, values memoized. Values set by a recipe
 * ({@link #put}) join the part's signature; volatile ones do not.
 */
public final class Section implements Options {

    private final Resolver resolver;
    private final String name;
    private Map<String, MergedValue> raw;
    /** Resolved values: substituted raw values and values set by recipes. */
    private final Map<String, String> data = new LinkedHashMap<>();
    /** Keys set by put/putObject/putVolatile, in order (beyond the raw keys). */
    private final Set<String> added = new LinkedHashSet<>();
    private final Map<String, Object> objects = new LinkedHashMap<>();
    private final Set<String> volatileKeys = new LinkedHashSet<>();
    private Recipe recipe;
    private RecipeFactory factory;
    private String recipeName;

    Section(Resolver resolver, String name, Map<String, MergedValue> raw) {
        this.resolver = resolver;
        this.name = name;
        this.raw = raw;
    }

    /** zc.buildout's {@code _initialize}: macros, then substitution of every option with ${. */
    void initialize() {
        if (raw.containsKey("<")) {
            raw = Macros.expand(resolver, name, raw);
        }
        for (String key : new TreeSet<>(raw.keySet())) {
            if (!data.containsKey(key) && raw.get(key).value().contains("${")) {
                resolve(key, new ArrayList<>());
            }
        }
        if (name.equals("buildout")) {
            return;   // [buildout] is never a part
        }
        String deps = raw.containsKey("<part-dependencies>") ? get("<part-dependencies>") : "";
        for (String dep : Words.split(deps)) {
            resolver.section(dep, name, "<part-dependencies>", locationOf("<part-dependencies>"));
        }
        Optional<String> r = find("recipe");
        if (r.isPresent() && !r.get().isBlank() && resolver.recipesEnabled()) {
            createRecipe(r.get());
        }
    }

    private void createRecipe(String recipeValue) {
        recipeName = recipeValue.strip();
        factory = resolver.registry().find(recipeName).orElseThrow(() -> BuildoutException.configuration(
                locationOf("recipe"), name, "recipe", "unknown recipe '" + recipeName + "'"));
        try {
            recipe = factory.create(resolver, recipeName, this);
        } catch (BuildoutException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BuildoutException(BuildoutException.Kind.CONFIGURATION, locationOf("recipe"), name, "recipe",
                    "recipe '" + recipeName + "' failed to initialize: " + e, e);
        }
        if (recipe == null) {
            throw BuildoutException.configuration(locationOf("recipe"), name, "recipe",
                    "recipe '" + recipeName + "' returned no recipe");
        }
        resolver.addPart(name);
    }

    /** The substituted value of {@code option}, or null; {@code seen} detects reference cycles. */
    String resolve(String option, List<String> seen) {
        String known = data.get(option);
        if (known != null) {
            return known;
        }
        MergedValue v = raw.get(option);
        if (v == null) {
            return null;
        }
        String value = v.value();
        if (value.contains("${")) {
            String key = name + ":" + option;
            if (seen.contains(key)) {
                List<String> chain = new ArrayList<>(seen.subList(seen.indexOf(key), seen.size()));
                chain.add(key);
                throw BuildoutException.configuration(v.location(), name, option,
                        "Circular reference in substitutions: " + String.join(" -> ", chain));
            }
            seen.add(key);
            value = Substitution.substitute(resolver, this, option, value, v.location(), seen);
            seen.remove(seen.size() - 1);
        }
        data.put(option, value);
        return value;
    }

    Map<String, MergedValue> raw() {
        return raw;
    }

    Recipe recipe() {
        return recipe;
    }

    RecipeFactory factory() {
        return factory;
    }

    String recipeName() {
        return recipeName;
    }

    /** Every option, substituted, except volatile ones (secrets): what .installed.cfg records. */
    public Map<String, String> visibleOptions() {
        return signatureOptions();
    }

    /** Every option, substituted, except volatile ones: what .installed.cfg records. */
    Map<String, String> signatureOptions() {
        Map<String, String> out = new TreeMap<>();
        for (String k : keys()) {
            if (!volatileKeys.contains(k)) {
                out.put(k, get(k));
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------- Options

    @Override
    public String sectionName() {
        return name;
    }

    @Override
    public String get(String option) {
        return find(option).orElseThrow(() -> BuildoutException.configuration(null, name, option,
                "Missing option: " + name + ":" + option));
    }

    @Override
    public Optional<String> find(String option) {
        return Optional.ofNullable(resolve(option, new ArrayList<>()));
    }

    @Override
    public void put(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException("option values must not be null: " + name + ":" + option);
        }
        data.put(option, value);
        objects.remove(option);
        volatileKeys.remove(option);
        if (!raw.containsKey(option)) {
            added.add(option);
        }
    }

    @Override
    public void putVolatile(String option, String value) {
        put(option, value);
        volatileKeys.add(option);
    }

    @Override
    public void putObject(String option, Object value) {
        put(option, StructuredValue.render(value));
        objects.put(option, value);
    }

    @Override
    public Object getObject(String option) {
        Object o = objects.get(option);
        return o != null ? o : get(option);
    }

    @Override
    public Set<String> keys() {
        Set<String> k = new LinkedHashSet<>(raw.keySet());
        k.addAll(added);
        return k;
    }

    @Override
    public Map<String, String> asMap() {
        Map<String, String> out = new TreeMap<>();
        for (String k : keys()) {
            out.put(k, get(k));
        }
        return out;
    }

    @Override
    public SourceLocation locationOf(String option) {
        MergedValue v = raw.get(option);
        if (v == null || v.location().line() == 0) {
            return null;
        }
        return v.location();
    }

    @Override
    public String toString() {
        return "[" + name + "]";
    }
}
