package org.slapgrid.recipes.cookbook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:cron.d}: writes {@code <cron-entries>/<name>} holding
 * {@code <frequency> <command>} for the partition's own cron. {@code once-a-day = true} instead
 * of a frequency picks a fixed time of day from the partition and entry name, so the partitions
 * of a node do not all run at the same minute.
 */
public final class CronEntryRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:cron.d");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new CronEntryRecipe(buildout, options);
        }
    }

    private final Path file;
    private final String line;

    CronEntryRecipe(BuildoutContext buildout, Options options) {
        Path directory = OptionValues.requiredPath(buildout, options, "cron-entries");
        String name = options.required("name").strip();
        if (name.isEmpty() || name.contains("/")) {
            throw options.error("name", "must be a file name, got '" + name + "'");
        }
        String command = options.required("command").strip();
        if (command.isEmpty() || command.contains("\n")) {
            throw options.error("command", "must be one non-empty line");
        }
        String frequency;
        if (Bools.option(options, "once-a-day", false)) {
            String digest = Checksum.hex("MD5", (buildout.directory() + "\n" + name).getBytes(StandardCharsets.UTF_8));
            int value = Integer.parseInt(digest.substring(0, 6), 16);
            frequency = (value % 60) + " " + ((value / 60) % 24) + " * * *";
        } else {
            frequency = options.required("frequency").strip();
            if (!frequency.matches("@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)")
                    && frequency.split("\\s+").length != 5) {
                throw options.error("frequency", "expected 5 cron fields or @daily and the like, got '" + frequency + "'");
            }
        }
        this.file = directory.resolve(name);
        this.line = frequency + " " + command + "\n";
        options.put("frequency", frequency);
    }

    @Override
    public Collection<Path> install() throws Exception {
        AtomicFiles.writeIfChanged(file, line, 0644);
        return List.of(file);
    }

    @Override
    public Collection<Path> update() throws Exception {
        AtomicFiles.writeIfChanged(file, line, 0644);
        return List.of();
    }
}
