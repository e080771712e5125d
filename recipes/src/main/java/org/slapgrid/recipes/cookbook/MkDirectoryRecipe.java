package org.slapgrid.recipes.cookbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:mkdirectory}: every option but {@code recipe} and {@code mode} is a
 * directory, created (with its parents) if missing, with {@code mode} (default 0755). It returns
 * nothing on purpose: directories hold the instance's data and are never removed or emptied.
 */
public final class MkDirectoryRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:mkdirectory");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new MkDirectoryRecipe(buildout, options);
        }
    }

    private final List<Path> directories;
    private final int mode;

    MkDirectoryRecipe(BuildoutContext buildout, Options options) {
        this.mode = Modes.option(options, "mode", 0755);
        List<Path> dirs = new java.util.ArrayList<>();
        for (String key : new TreeSet<>(options.keys())) {
            // Options starting with '_' are the engine's bookkeeping, not directories.
            if (key.equals("recipe") || key.equals("mode") || key.startsWith("_")) {
                continue;
            }
            String value = options.get(key).strip();
            if (!value.isEmpty()) {
                Path dir = OptionValues.path(buildout, value);
                if (Files.exists(dir) && !Files.isDirectory(dir)) {
                    throw options.error(key, dir + " exists and is not a directory");
                }
                dirs.add(dir);
            }
        }
        this.directories = List.copyOf(dirs);
    }

    @Override
    public Collection<Path> install() throws Exception {
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Modes.set(dir, mode);
            }
        }
        return List.of();
    }
}
