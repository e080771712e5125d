package org.slapgrid.recipes.template.jinja;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Nodes.Stmt;

/**
 * A Jinja2 3.1 renderer with slapos.recipe.template's environment: StrictUndefined (an undefined
 * name fails, naming the template and line), keep_trailing_newline off, the {@code do} and
 * {@code loopcontrols} extensions, no autoescape, Python's builtins in the context. Values follow
 * Python's semantics (repr of lists and dicts, True/None, floor division, str vs int refused), and
 * output is never interpreted again: a value containing {@code {{ }}} prints as it is.
 *
 * <p>Hand-written, not Jinjava: Jinjava's expressions are Java EL with Java semantics (its
 * comparisons, arithmetic, truth and printing of lists, dicts, None and booleans differ from
 * Python's), it has no {@code break}/{@code continue}, and its nested interpretation re-evaluates
 * rendered values; the differential tests against the real Jinja2 (Jinja2DifferentialTest) are
 * the yardstick. Parsed templates are cached by (name, text), so a re-run only evaluates.
 */
public final class Jinja2 {

    /** Where {@code {% include %}} and {@code {% import %}} find templates: the text, or null when absent. */
    public interface Loader {
        String load(String name);
    }

    /**
     * A parsed template: its statements, its {@code {% block %}}s by name, and the names its top
     * level binds before assigning them ({@link FrameNames}).
     */
    record Template(String name, List<Stmt> body, Map<String, Nodes.Block> blocks, java.util.Set<String> unbound) {
    }

    private static final Jinja2 SLAPOS = new Jinja2();

    private static final int MAX_CACHED = 512;

    /**
     * Parsed templates by name and text, least recently used dropped beyond {@link #MAX_CACHED}.
     * A plain map, not Caffeine: every buildout child JVM renders templates, and Caffeine's
     * classes and the java.util.logging it starts were a tenth of that JVM's start-up.
     */
    private final Map<String, Template> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
            return size() > MAX_CACHED;
        }
    };
    private final Scope globals = new Scope(null, Builtins.GLOBALS);

    private Jinja2() {
    }

    /** The environment of slapos.recipe.template:jinja2. */
    public static Jinja2 slapos() {
        return SLAPOS;
    }

    Scope globalsScope() {
        return globals;
    }

    Template parse(String name, String source) {
        String key = name + "\u0000" + source;
        synchronized (cache) {
            Template cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // parsed outside the lock: parsing one template may parse the ones it imports
        Template parsed = Parser.parse(name, source);
        synchronized (cache) {
            cache.putIfAbsent(key, parsed);
        }
        return parsed;
    }

    /** Fails with a {@link TemplateError} (TemplateSyntaxError) if the text is not a valid template. */
    public void check(String name, String source) {
        parse(name, source);
    }

    /**
     * Renders {@code source}; context values are converted with {@link #fromJava}.
     *
     * @throws TemplateError naming the template, the line and the construct
     */
    public String render(String name, String source, Map<String, ?> context, Loader loader) {
        Template t = parse(name, source);
        Map<String, Object> vars = new java.util.HashMap<>();
        context.forEach((k, v) -> vars.put(k, fromJava(v)));
        Scope top = new Scope(new Scope(globals, vars));
        StringBuilder out = new StringBuilder();
        new Renderer(this, loader, name).renderTemplate(t, top, out);
        return out.toString();
    }

    /**
     * An option value as a {@code key} context line reads it: what {@code dumps} wrote (a
     * {@code \\} and a Python literal) becomes that value again, any other text stays as it is.
     */
    public static Object fromOption(Object value) {
        return value instanceof String s ? BuildoutDumps.loads(s) : value;
    }

    /** A Python module for an {@code import NAME module} context line, or null if not provided. */
    public static Object module(String name) {
        return Modules.NAMES.contains(name) ? Modules.module(name) : null;
    }

    public static Set<String> modules() {
        return Modules.NAMES;
    }

    /**
     * Java values as Python's: maps become insertion-ordered dicts (unordered Java maps are
     * sorted by key first, so the output is the same on every run), lists lists, sets sets,
     * Integer/Short Long, Float Double. Values already converted pass through.
     */
    public static Object fromJava(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            boolean ordered = m instanceof LinkedHashMap || m instanceof SortedMap;
            Map<?, ?> source = ordered ? m : new java.util.TreeMap<>(m.entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue, (a, b) -> a)));
            source.forEach((k, x) -> out.put(Py.key(fromJava(k)), fromJava(x)));
            return out;
        }
        if (v instanceof PyTuple) {
            return v;
        }
        if (v instanceof List<?> l) {
            PyList out = new PyList();
            l.forEach(x -> out.add(fromJava(x)));
            return out;
        }
        if (v instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>();
            Collection<?> items = s instanceof java.util.SortedSet || s instanceof LinkedHashSet ? s : new java.util.TreeSet<>(s);
            items.forEach(x -> out.add(fromJava(x)));
            return out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return Py.normalize(b);
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        return v;
    }
}
