package org.slapgrid.recipes.template;

import com.hubspot.jinjava.objects.collections.PyMap;
import java.util.Map;

/**
 * A map as Jinja2 templates expect a Python dict. Jinjava's {@link PyMap} has no two-argument
 * {@code get}, yet {@code parameter_dict.get('key', default)} is the most common idiom of SlapOS
 * templates; {@code setdefault} is added for the same reason, and it renders as Python's repr.
 */
public final class PythonDict extends PyMap {

    public PythonDict(Map<String, Object> map) {
        super(map);
    }

    /** Python's {@code dict.get(key, default)}. */
    public Object get(Object key, Object defaultValue) {
        return containsKey(key) ? get(key) : defaultValue;
    }

    @Override
    public String toString() {
        return PythonRepr.of(this);
    }

    /** Python's {@code dict.setdefault(key, default)}. */
    public Object setdefault(String key, Object defaultValue) {
        if (!containsKey(key)) {
            put(key, defaultValue);
        }
        return get(key);
    }
}
