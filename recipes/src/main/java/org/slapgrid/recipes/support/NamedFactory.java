package org.slapgrid.recipes.support;

import java.util.Set;
import org.slapgrid.buildout.spi.RecipeFactory;

/** A factory answering to a fixed set of SlapOS recipe names. */
public abstract class NamedFactory implements RecipeFactory {

    private final Set<String> names;

    protected NamedFactory(String... names) {
        this.names = Set.of(names);
    }

    @Override
    public final Set<String> names() {
        return names;
    }
}
