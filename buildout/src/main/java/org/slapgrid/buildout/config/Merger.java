package org.slapgrid.buildout.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merging one configuration layer over another (zc.buildout's {@code _update} and
 * {@code _update_section}, reference §1.6): {@code +=} appends lines to the base value,
 * {@code -=} drops equal lines, then plain keys override. In a section an earlier layer defines,
 * an increment with no base value applies to an implicit empty one, as zc.buildout 2.13/3.0.1
 * (and SlapOS's fork) do: {@code parts += a} gives {@code "\na"}, recorded as IMPLICIT_VALUE.
 * In a section only the newer layer defines, it becomes a plain value ({@code +=}) or an empty
 * one ({@code -=}): zc.buildout HEAD's fix of bug #641, where older versions keep a raw
 * {@code "opt +"} key.
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
                updateSection(fresh, e.getValue(), false);
                data.put(e.getKey(), fresh);
            }
        }
    }

    /** Merges section {@code s2} into the existing section {@code s1} (mutating {@code s1}). */
    public static void updateSection(Map<String, MergedValue> s1, Map<String, MergedValue> s2) {
        updateSection(s1, s2, true);
    }

    private static void updateSection(Map<String, MergedValue> s1, Map<String, MergedValue> s2, boolean implicitBase) {
        Map<String, MergedValue> computed = new LinkedHashMap<>();   // results of increments
        Map<String, MergedValue> plain = new LinkedHashMap<>();
        List<Map.Entry<String, MergedValue>> adds = new ArrayList<>();
        List<Map.Entry<String, MergedValue>> removes = new ArrayList<>();
        java.util.Set<String> sameLayer = new java.util.HashSet<>();   // increments of a value set in s2 itself
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
            if (plain.containsKey(name)) {
                sameLayer.add(name);
            }
            MergedValue base = plain.containsKey(name) ? plain.remove(name) : s1.get(name);
            MergedValue.RawIncrement inc = MergedValue.RawIncrement.of(e.getValue());
            if (base == null && implicitBase) {
                base = implicit(inc);
            }
            MergedValue result = base == null
                    ? new MergedValue(inc.value(), inc.location(), List.of(new MergedValue.Step(MergedValue.Op.ADD, inc.source(), inc.value())))
                    : base.plus(inc);
            computed.put(name, result);
        }
        for (Map.Entry<String, MergedValue> e : removes) {
            String name = ConfigParser.rstrip(e.getKey(), " -");
            if (!computed.containsKey(name) && plain.containsKey(name)) {
                sameLayer.add(name);
            }
            MergedValue base = computed.containsKey(name) ? computed.get(name)
                    : plain.containsKey(name) ? plain.remove(name) : s1.get(name);
            MergedValue.RawIncrement inc = MergedValue.RawIncrement.of(e.getValue());
            if (base == null && implicitBase) {
                base = implicit(inc);
            }
            MergedValue result = base == null
                    ? new MergedValue("", inc.location(), List.of(new MergedValue.Step(MergedValue.Op.REMOVE, inc.source(), inc.value())))
                    : base.minus(inc);
            computed.put(name, result);
        }
        for (Map.Entry<String, MergedValue> e : plain.entrySet()) {
            MergedValue old = s1.get(e.getKey());
            s1.put(e.getKey(), old == null ? e.getValue() : old.overriddenBy(e.getValue()));
        }
        for (Map.Entry<String, MergedValue> e : computed.entrySet()) {
            MergedValue old = s1.get(e.getKey());
            MergedValue v = e.getValue();
            // zc.buildout's overrideValue records no step when the newer value's last step is an
            // increment: a value set and incremented in one file over an older one keeps the
            // older history (annotate shows the older file), only the value changes.
            s1.put(e.getKey(), old != null && sameLayer.contains(e.getKey())
                    ? new MergedValue(v.value(), v.location(), old.history()) : v);
        }
    }

    private static MergedValue implicit(MergedValue.RawIncrement inc) {
        return MergedValue.set("", inc.location(), "IMPLICIT_VALUE");
    }
}
