package org.slapgrid.recipes.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.recipe.build:download-unpacked}: downloads {@code url} ({@code md5sum} or
 * {@code sha256} checked while streaming), unpacks it (tar.gz, tar.xz, tar.bz2, tar, zip) into
 * {@code destination} (default {@code parts/<section>}), stripping the single top-level directory
 * unless {@code strip-top-level-dir} says otherwise. Output options {@code target} and
 * {@code location}. Update does nothing: the checksum pins the content.
 */
public final class DownloadUnpackedRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.recipe.build:download-unpacked");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new DownloadUnpackedRecipe(buildout, options);
        }
    }

    private final BuildoutContext buildout;
    private final String section;
    private final String url;
    private final Optional<Checksum> checksum;
    private final Boolean strip;
    private final Path destination;

    DownloadUnpackedRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.section = options.sectionName();
        this.url = OptionValues.requiredText(options, "url");
        this.checksum = Checksum.fromOptions(options);
        this.strip = options.get("strip-top-level-dir", "").isBlank() ? null : Bools.option(options, "strip-top-level-dir", false);
        this.destination = OptionValues.partDirectory(buildout, options, "destination");
        options.put("location", destination.toString());
        options.put("target", destination.toString());
    }

    @Override
    public Collection<Path> install() throws Exception {
        ArchiveInstaller.install(buildout, section, "url", url, checksum, strip, destination);
        return List.of(destination);
    }

    @Override
    public Collection<Path> update() throws Exception {
        return Files.isDirectory(destination) ? List.of() : install();
    }
}
