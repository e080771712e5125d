package org.slapgrid.buildout.spi;

import java.nio.file.Path;
import java.util.Optional;

/** What a recipe sees of the running buildout. */
public interface BuildoutContext {

    /**
     * A section, initialized on first access (macros, substitution). A section that has a
     * recipe becomes a part, installed before the part that asked for it.
     */
    Options section(String name);

    boolean hasSection(String name);

    /** The {@code [buildout]} section. */
    default Options buildout() {
        return section("buildout");
    }

    /** {@code buildout:directory}, absolute. */
    Path directory();

    /** {@code buildout:parts-directory}, absolute. */
    Path partsDirectory();

    /** {@code buildout:bin-directory}, absolute. */
    Path binDirectory();

    /** {@code buildout:offline}: recipes must not download anything but file URLs. */
    boolean offline();

    /**
     * A service that the host of the engine provides, e.g. the node's connection to the master
     * used by the publish and request recipes. Empty when the host provides none.
     */
    <T> Optional<T> service(Class<T> type);

    /** A progress or diagnostic line for the user, prefixed with the part name. Never log secrets. */
    void log(String part, String message);
}
