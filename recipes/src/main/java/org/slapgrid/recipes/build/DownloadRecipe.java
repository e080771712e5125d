package org.slapgrid.recipes.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Downloader;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.recipe.build:download}: downloads {@code url} to {@code parts/<section>/<filename>}
 * ({@code filename} defaults to the section name) or to {@code destination}; {@code md5sum} or
 * {@code sha256} checked while streaming; {@code mode} (default 0644: instances read it). Output {@code target} (the file)
 * and {@code location}. Update does nothing when a checksum pins the content; otherwise it
 * downloads again and replaces the file only if the content changed.
 */
public final class DownloadRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.recipe.build:download");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new DownloadRecipe(buildout, options);
        }
    }

    private final BuildoutContext buildout;
    private final String section;
    private final String url;
    private final Optional<Checksum> checksum;
    private final Path target;
    private final Path recorded;
    private final Integer mode;

    DownloadRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.section = options.sectionName();
        this.url = OptionValues.requiredText(options, "url");
        this.checksum = Checksum.fromOptions(options);
        // A downloaded file of a release is read by the instances (other users): 0644 unless told.
        this.mode = Modes.option(options, "mode", 0644);
        String destination = options.get("destination", "").strip();
        String filename = options.get("filename", "").strip();
        if (!destination.isEmpty() && !filename.isEmpty()) {
            throw options.error("filename", "give either 'filename' or 'destination', not both");
        }
        if (filename.contains("/")) {
            throw options.error("filename", "must be a file name, not a path: '" + filename + "'");
        }
        if (destination.isEmpty()) {
            Path location = buildout.partsDirectory().resolve(section);
            this.target = location.resolve(filename.isEmpty() ? section : filename);
            this.recorded = location;
            options.put("location", location.toString());
        } else {
            this.target = OptionValues.path(buildout, destination);
            this.recorded = target;
            options.put("location", target.toString());
        }
        options.put("target", target.toString());
    }

    @Override
    public Collection<Path> install() throws Exception {
        fetch();
        return List.of(recorded);
    }

    @Override
    public Collection<Path> update() throws Exception {
        if (checksum.isEmpty() || !Files.isRegularFile(target)) {
            fetch();
        }
        return List.of();
    }

    /** Downloads beside the target and replaces it only when the bytes differ (mtime kept otherwise). */
    private void fetch() throws Exception {
        Path temp = target.resolveSibling("." + target.getFileName() + ".new");
        try {
            new Downloader(buildout, section, "url").download(url, checksum, temp);
            byte[] fresh = Files.readAllBytes(temp);
            if (Files.isRegularFile(target) && Arrays.equals(fresh, Files.readAllBytes(target))) {
                if (mode != null && Modes.get(target) != mode) {
                    Modes.set(target, mode);
                }
                return;
            }
            if (mode != null) {
                Modes.set(temp, mode);
            }
            AtomicFiles.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
