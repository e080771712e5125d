package org.slapgrid.buildout.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Creates recipes. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.slapgrid.buildout.spi.RecipeFactory}) and registered under
 * SlapOS-style names, {@code egg:entry} such as {@code slapos.cookbook:wrapper}; a name without
 * an entry means {@code :default} ({@code slapos.recipe.cmmi} is {@code slapos.recipe.cmmi:default}).
 */
public interface RecipeFactory {

    /** The recipe names this factory answers to. */
    Set<String> names();

    /**
     * The constructor phase, run for every part on every run before anything is uninstalled: it
     * validates options, may read other sections and may {@link Options#put} computed options
     * (which then belong to the part's signature). Errors here are
     * {@link BuildoutException.Kind#CONFIGURATION} errors: nothing is touched.
     *
     * @param name the recipe name as written in the profile (useful for factories serving several)
     */
    Recipe create(BuildoutContext buildout, String name, Options options);

    /**
     * Runs before the paths recorded for an uninstalled part are deleted; the options are those
     * saved when it was installed. The default does nothing.
     */
    default void uninstall(String part, Map<String, String> savedOptions, Path buildoutDirectory) throws Exception {
    }
}
