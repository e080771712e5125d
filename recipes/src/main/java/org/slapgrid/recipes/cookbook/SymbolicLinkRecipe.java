package org.slapgrid.recipes.cookbook;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:symbolic.link}: for each path of {@code link-binary}, a symbolic link
 * {@code target-directory/<file name>} pointing to it. Links already right are left alone;
 * the links are returned, so uninstalling removes them (never their targets).
 */
public final class SymbolicLinkRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:symbolic.link");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new SymbolicLinkRecipe(buildout, options);
        }
    }

    private final Map<Path, Path> links = new LinkedHashMap<>();

    SymbolicLinkRecipe(BuildoutContext buildout, Options options) {
        Path directory = OptionValues.requiredPath(buildout, options, "target-directory");
        List<String> targets = OptionValues.words(options, "link-binary");
        if (targets.isEmpty()) {
            throw options.error("link-binary", "missing mandatory option 'link-binary' (paths to link)");
        }
        for (String target : targets) {
            Path path = OptionValues.path(buildout, target);
            Path link = directory.resolve(path.getFileName());
            if (links.put(link, path) != null) {
                throw options.error("link-binary", "two paths named '" + path.getFileName() + "'");
            }
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
                throw options.error("target-directory", link + " exists and is not a symbolic link");
            }
        }
    }

    @Override
    public Collection<Path> install() throws Exception {
        List<Path> created = new ArrayList<>();
        for (Map.Entry<Path, Path> e : links.entrySet()) {
            AtomicFiles.symlink(e.getKey(), e.getValue());
            created.add(e.getKey());
        }
        return created;
    }

    @Override
    public Collection<Path> update() throws Exception {
        for (Map.Entry<Path, Path> e : links.entrySet()) {
            AtomicFiles.symlink(e.getKey(), e.getValue());
        }
        return List.of();
    }
}
