package org.slapgrid.recipes.cookbook;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.slap.ServiceTags;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:check_port_listening}: writes {@code path} (mode 0700), a promise that
 * {@code hostname}:{@code port} accepts TCP connections within {@code timeout} seconds
 * (default 20).
 */
public final class CheckPortListeningRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:check_port_listening");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new CheckPortListeningRecipe(buildout, options);
        }
    }

    private final Path path;
    private final String script;
    private final List<String> tags;

    CheckPortListeningRecipe(BuildoutContext buildout, Options options) {
        this.path = OptionValues.requiredPath(buildout, options, "path");
        this.tags = ServiceTags.option(options);
        int timeout = OptionValues.integer(options, "timeout", 20, 1, 3600);
        this.script = PromiseScripts.portListening(options, "hostname", "port", timeout);
    }

    @Override
    public Collection<Path> install() throws Exception {
        return PromiseScripts.install(path, script, tags);
    }

    @Override
    public Collection<Path> update() throws Exception {
        AtomicFiles.writeIfChanged(path, script, 0700);
        return List.of();
    }
}
