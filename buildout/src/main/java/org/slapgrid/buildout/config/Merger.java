package org.slapgrid.buildout.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merging one configuration layer over another (zc.buildout's {@code _update} and
 * {@code _update_section}, with 3.1.1+ semantics, reference §1.6): {@code +=} appends lines to
 * the base value, {@code -=} drops equal lines, then plain keys override. An increment with no
 * base value at all becomes a plain value ({@code +=}) or an empty one ({@code -=}).
 */
public final class Merger {

    private Merger() {
    }

    /** A whole configuration: section name to option key to value, in first-seen order. */
    public static Map<String, Map<String, MergedValue>> copy(Map<String, Map<String, MergedValue>> data) {
        Map<String, Map<String, MergedValue>> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
        return out;
    }

    /** Merges {@code newer} into {@code data} (mutating {@code data}). */
    public static void update(Map<String, Map<String, MergedValue>> data, Map<String, Map<String, MergedValue>> newer) {
        for (Map.Entry<String, Map<String, MergedValue>> e : newer.entrySet()) {
            Map<String, MergedValue> existing = data.get(e.getKey());
            if (existing != null) {
                updateSection(existing, e.getValue());
            } else if (e.getValue().containsKey("<")) {
                // HEAD leaves the increments of a macro user raw: they apply to the macro's values.
                data.put(e.getKey(), new LinkedHashMap<>(e.getValue()));
            } else {
                Map<String, MergedValue> fresh = new LinkedHashMap<>();
                updateSection(fresh, e.getValue());
                data.put(e.getKey(), fresh);
            }
        }
    }

    /** Merges section {@code s2} into {@code s1} (mutating {@code s1}). */
    public static void updateSection(Map<String, MergedValue> s1, Map<String, MergedValue> s2) {
        Map<String, MergedValue> computed = new LinkedHashMap<>();   // results of increments
        Map<String, MergedValue> plain = new LinkedHashMap<>();
        List<Map.Entry<String, MergedValue>> adds = new ArrayList<>();
        List<Map.Entry<String, MergedValue>> removes = new ArrayList<>();
        for (Map.Entry<String, MergedValue> e : s2.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("+")) {
                adds.add(e);
            } else if (k.endsWith("-")) {
                removes.add(e);
            } else {
                plain.put(k, e.getValue());
            }
        }
        for (Map.Entry<String, MergedValue> e : adds) {
            String name = ConfigParser.rstrip(e.getKey(), " +");
            MergedValue base = plain.containsKey(name) ? plain.remove(name) : s1.get(name);
            MergedValue.RawIncrement inc = MergedValue.RawIncrement.of(e.getValue());
            MergedValue result = base == null
                    ? new MergedValue(inc.value(), inc.location(), List.of(new MergedValue.Step(MergedValue.Op.ADD, inc.source(), inc.value())))
                    : base.plus(inc);
            computed.put(name, result);
        }
        for (Map.Entry<String, MergedValue> e : removes) {
            String name = ConfigParser.rstrip(e.getKey(), " -");
            MergedValue base = computed.containsKey(name) ? computed.get(name)
                    : plain.containsKey(name) ? plain.remove(name) : s1.get(name);
            MergedValue.RawIncrement inc = MergedValue.RawIncrement.of(e.getValue());
            MergedValue result = base == null
                    ? new MergedValue("", inc.location(), List.of(new MergedValue.Step(MergedValue.Op.REMOVE, inc.source(), inc.value())))
                    : base.minus(inc);
            computed.put(name, result);
        }
        for (Map.Entry<String, MergedValue> e : plain.entrySet()) {
            MergedValue old = s1.get(e.getKey());
            s1.put(e.getKey(), old == null ? e.getValue() : old.overriddenBy(e.getValue()));
        }
        s1.putAll(computed);
    }
}
