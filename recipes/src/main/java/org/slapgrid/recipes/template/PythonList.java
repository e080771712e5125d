package org.slapgrid.recipes.template;

import com.hubspot.jinjava.objects.collections.PyList;
import java.util.List;

/** A list that renders as a Python list in templates (see {@link PythonRepr}). */
public final class PythonList extends PyList {

    public PythonList(List<Object> list) {
        super(list);
    }

    @Override
    public String toString() {
        return PythonRepr.of(this);
    }
}
