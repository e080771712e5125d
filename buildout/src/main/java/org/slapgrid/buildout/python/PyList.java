package org.slapgrid.buildout.python;

import java.util.ArrayList;
import java.util.Collection;

/** Python's list: an ArrayList (mutable, ordered). */
public final class PyList extends ArrayList<Object> {

    private static final long serialVersionUID = 1L;

    public PyList() {
    }

    public PyList(Collection<?> items) {
        super(items);
    }
}
