package org.slapgrid.recipes.slap;

import java.nio.file.Path;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;

/**
 * Finds the {@link SlapInstance} for a recipe: the node's service when the host registered one,
 * else a {@link LocalSlapInstance} on the files {@code [slap-connection]} names:
 * {@code instance-file} (mandatory), {@code published-file} and {@code requested-file}
 * (default: {@code published.json} and {@code requested.json} beside the instance file).
 */
public final class SlapInstances {

    public static final String CONNECTION_SECTION = "slap-connection";

    private SlapInstances() {
    }

    /** The instance, or a configuration error naming {@code section} when there is none. */
    public static SlapInstance find(BuildoutContext buildout, Options section) {
        var service = buildout.service(SlapInstance.class);
        if (service.isPresent()) {
            return service.get();
        }
        if (!buildout.hasSection(CONNECTION_SECTION)
                || !buildout.section(CONNECTION_SECTION).has("instance-file")) {
            throw section.error(null, "no connection to the node: the host provides no SlapInstance and "
                    + "[" + CONNECTION_SECTION + "] has no 'instance-file' option");
        }
        Options connection = buildout.section(CONNECTION_SECTION);
        Path instanceFile = buildout.directory().resolve(connection.get("instance-file").strip());
        Path dir = instanceFile.toAbsolutePath().getParent();
        Path published = buildout.directory().resolve(connection.get("published-file", dir.resolve("published.json").toString()).strip());
        Path requested = buildout.directory().resolve(connection.get("requested-file", dir.resolve("requested.json").toString()).strip());
        return new LocalSlapInstance(instanceFile, published, requested);
    }
}
