package org.slapgrid.buildout.python;

import java.util.AbstractList;
import java.util.List;

/** Python's tuple: immutable, hashable (a dict key). Named tuples extend it. */
public class PyTuple extends AbstractList<Object> {

    private final Object[] items;

    public PyTuple(Object... items) {
        this.items = items;
    }

    public PyTuple(List<?> items) {
        this.items = items.toArray();
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
