package org.slapgrid.buildout.spi;

import java.nio.file.Path;
import java.util.Collection;

/**
 * A part's behaviour once its options are known. Created by a {@link RecipeFactory} for every
 * part on every run; then either {@link #install()} (new or changed options) or
 * {@link #update()} (same options) is called, with the buildout directory as the base for
 * relative paths.
 *
 * <p>Recipes must be idempotent ("promise based"): update with nothing changed changes nothing,
 * and neither method overwrites data that a previous run or the instance itself created.
 */
public interface Recipe {

    /**
     * Installs the part. Returns the paths it created: they are recorded and removed when the
     * part is uninstalled. Return nothing for data that must survive a reinstall (data
     * directories, generated passwords).
     */
    Collection<Path> install() throws Exception;

    /**
     * Called when the part is unchanged. Returns paths created in addition to those already
     * recorded. The default, as in buildout, is to install again.
     */
    default Collection<Path> update() throws Exception {
        return install();
    }
}
