package org.slapgrid.recipes.build;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code plone.recipe.command}: runs {@code command} on install and {@code update-command} on
 * update, with {@code sh} in the buildout directory, output in the log, killed after
 * {@code timeout} seconds (default 3600). A failure stops buildout only with
 * {@code stop-on-error} (default false, as the original). {@code location}: paths returned for
 * removal on uninstall.
 */
public final class CommandRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("plone.recipe.command");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new CommandRecipe(buildout, options);
        }
    }

    private final BuildoutContext buildout;
    private final String section;
    private final String command;
    private final String updateCommand;
    private final boolean stopOnError;
    private final int timeout;
    private final List<Path> locations;

    CommandRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.section = options.sectionName();
        this.command = options.get("command", "").strip();
        this.updateCommand = options.get("update-command", "").strip();
        this.stopOnError = Bools.option(options, "stop-on-error", false);
        this.timeout = ShellCommand.timeout(options);
        this.locations = OptionValues.words(options, "location").stream().map(p -> OptionValues.path(buildout, p)).toList();
    }

    @Override
    public Collection<Path> install() throws Exception {
        execute("command", command);
        return locations;
    }

    @Override
    public Collection<Path> update() throws Exception {
        execute("update-command", updateCommand);
        return List.of();
    }

    private void execute(String option, String text) throws Exception {
        if (text.isEmpty()) {
            return;
        }
        buildout.log(section, "Running " + option);
        ShellCommand.Result result = ShellCommand.run(buildout, section, text, buildout.directory(), Map.of(), timeout);
        if (!result.ok()) {
            String message = option + " failed: " + result.describe(timeout);
            if (stopOnError) {
                throw Failures.of(section, option, message);
            }
            buildout.log(section, message + " (ignored: stop-on-error is false)");
        }
    }
}
