package org.slapgrid.recipes.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Words;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.support.OptionValues;

/**
 * The rendered file of a template recipe: {@code output} (or the older {@code rendered}) and
 * {@code mode}. Without a mode, a text starting with a shebang to an executable file becomes
 * executable (0755), anything else 0644.
 */
record OutputFile(Path path, Integer mode) {

    static OutputFile fromOptions(BuildoutContext buildout, Options options) {
        String option = options.has("output") ? "output" : options.has("rendered") ? "rendered" : "output";
        Path path = OptionValues.requiredPath(buildout, options, option);
        return new OutputFile(path, Modes.option(options, "mode", null));
    }

    /** Writes the text if it differs (atomically) and returns whether anything changed. */
    boolean write(String text) throws IOException {
        return AtomicFiles.writeIfChanged(path, text.getBytes(StandardCharsets.UTF_8), mode != null ? mode : defaultMode(text));
    }

    List<Path> paths() {
        return List.of(path);
    }

    private static int defaultMode(String text) {
        if (text.startsWith("#!")) {
            String interpreter = text.substring(2, text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n')).strip();
            List<String> words = Words.split(interpreter);
            if (!words.isEmpty() && Files.isExecutable(Path.of(words.get(0)))) {
                return 0755;
            }
        }
        return 0644;
    }
}
