package org.slapgrid.buildout.python;

import java.util.Iterator;
import java.util.Map;

/** {@code dict.keys()}, {@code .values()}, {@code .items()}: live views with Python's repr. */
public record DictView(String kind, Map<Object, Object> map) implements Iterable<Object> {

    @Override
    public Iterator<Object> iterator() {
        Iterator<Map.Entry<Object, Object>> entries = map.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Object next() {
                Map.Entry<Object, Object> e = entries.next();
                return switch (kind) {
                    case "keys" -> e.getKey();
                    case "values" -> e.getValue();
                    default -> new PyTuple(e.getKey(), e.getValue());
                };
            }
        };
    }
}
