package org.slapgrid.recipes.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.SourceLocation;
import org.slapgrid.recipes.support.Json;

/** Options of a {@link FakeBuildout} section: raw values substituted on read. */
public final class FakeOptions implements Options {

    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\{([^:}]*):([^}]+)}");

    private final FakeBuildout buildout;
    private final String name;
    private final Map<String, String> values = new TreeMap<>();
    private final Map<String, Object> objects = new TreeMap<>();
    /** Values set with putVolatile, kept apart so tests can check they are not in the signature. */
    public final Map<String, String> volatiles = new TreeMap<>();

    FakeOptions(FakeBuildout buildout, String name) {
        this.buildout = buildout;
        this.name = name;
    }

    @Override
    public String sectionName() {
        return name;
    }

    @Override
    public String get(String option) {
        return find(option).orElseThrow(() -> BuildoutException.configuration(null, name, option, "missing option"));
    }

    @Override
    public Optional<String> find(String option) {
        if (volatiles.containsKey(option)) {
            return Optional.of(volatiles.get(option));
        }
        String raw = values.get(option);
        return raw == null ? Optional.empty() : Optional.of(substitute(raw));
    }

    private String substitute(String raw) {
        Matcher m = REF.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(1) == null) {
                m.appendReplacement(out, "\\$");
                continue;
            }
            String section = m.group(1).isEmpty() ? name : m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(buildout.section(section).get(m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public void put(String option, String value) {
        values.put(option, value);
        objects.remove(option);
    }

    @Override
    public void putVolatile(String option, String value) {
        volatiles.put(option, value);
    }

    @Override
    public void putObject(String option, Object value) {
        objects.put(option, value);
        values.put(option, Json.asOptionText(value));
    }

    @Override
    public Object getObject(String option) {
        return objects.containsKey(option) ? objects.get(option) : get(option);
    }

    public void remove(String option) {
        values.remove(option);
        objects.remove(option);
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(values.keySet());
    }

    /** Like the engine's signature: non-volatile options only. */
    @Override
    public Map<String, String> asMap() {
        Map<String, String> map = new TreeMap<>();
        values.keySet().forEach(k -> map.put(k, find(k).orElseThrow()));
        return map;
    }

    @Override
    public SourceLocation locationOf(String option) {
        return values.containsKey(option) ? new SourceLocation("test.cfg", 1) : null;
    }
}
