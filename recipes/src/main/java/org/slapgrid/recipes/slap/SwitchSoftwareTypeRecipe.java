package org.slapgrid.recipes.slap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slapgrid.buildout.Buildout;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:switch-softwaretype}: each option {@code <software-type> = <profile>}
 * maps a software type to an instance profile; the instance's type ({@code default} when empty or
 * {@code RootSoftwareInstance}) selects one, which runs as a sub-buildout in the same directory:
 * {@code buildout-switch-softwaretype.cfg} extends the chosen profile, keeps its own state in
 * {@code .installed-switch-softwaretype.cfg} and carries the parent's {@code [slap-connection]}.
 * The sub-buildout runs on install and on update (it is idempotent itself); the node's
 * {@link SlapInstance} service is passed on.
 */
public final class SwitchSoftwareTypeRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:switch-softwaretype");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new SwitchSoftwareTypeRecipe(buildout, options);
        }
    }

    static final String CONFIG_FILE = "buildout-switch-softwaretype.cfg";
    static final String INSTALLED_FILE = ".installed-switch-softwaretype.cfg";

    private final BuildoutContext buildout;
    private final String section;
    private final String softwareType;
    private final Path profile;
    private final String config;

    SwitchSoftwareTypeRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.section = options.sectionName();
        String type = SlapInstances.find(buildout, options).configuration().softwareType();
        if (type.isEmpty() || type.equals("RootSoftwareInstance")) {
            type = "default";
        }
        this.softwareType = type;
        String chosen = options.get(softwareType, "").strip();
        if (chosen.isEmpty()) {
            throw options.error(softwareType, "this software type ('" + softwareType + "') isn't mapped to a profile");
        }
        this.profile = OptionValues.path(buildout, chosen);
        this.config = childConfig(buildout, profile);
        options.put("software-type", softwareType);
    }

    private static String childConfig(BuildoutContext buildout, Path profile) {
        StringBuilder text = new StringBuilder()
                .append("# Written by slapos.cookbook:switch-softwaretype: the profile of this software type.\n")
                .append("[buildout]\n")
                .append("extends = ").append(profile).append('\n')
                .append("installed = ").append(INSTALLED_FILE).append('\n');
        if (buildout.offline()) {
            text.append("offline = true\n");
        }
        if (buildout.hasSection(SlapInstances.CONNECTION_SECTION)) {
            text.append('\n').append('[').append(SlapInstances.CONNECTION_SECTION).append("]\n");
            Map<String, String> connection = new TreeMap<>(buildout.section(SlapInstances.CONNECTION_SECTION).asMap());
            connection.forEach((key, value) -> {
                if (!key.startsWith("_")) {
                    // Continuation lines keep multi-line values (shared-part-list) intact.
                    text.append(key).append(" = ").append(value.replace("\n", "\n  ").replace("$", "$$")).append('\n');
                }
            });
        }
        return text.toString();
    }

    @Override
    public Collection<Path> install() throws Exception {
        if (!Files.isRegularFile(profile)) {
            throw Failures.of(section, softwareType, "the profile of software type '" + softwareType + "' does not exist: " + profile);
        }
        Path file = buildout.directory().resolve(CONFIG_FILE);
        AtomicFiles.writeIfChanged(file, config, 0640);
        buildout.log(section, "Running the profile of software type '" + softwareType + "'");
        Buildout.Builder child = Buildout.builder(file)
                .workingDirectory(buildout.directory())
                .log(line -> buildout.log(section, line));
        buildout.service(SlapInstance.class).ifPresent(service -> child.service(SlapInstance.class, service));
        try {
            child.build().install();
        } catch (BuildoutException e) {
            throw Failures.of(section, softwareType, "software type '" + softwareType + "': " + e.getMessage(), e);
        }
        return List.of(file);
    }

    @Override
    public Collection<Path> update() throws Exception {
        install();
        return List.of();
    }
}
