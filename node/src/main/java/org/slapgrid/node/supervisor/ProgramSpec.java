package org.slapgrid.node.supervisor;

import java.nio.file.Path;
import java.util.Set;

/**
 * One supervisord program generated from one partition executable. {@code name} is unique on
 * the node and is also its process group (each program is its own group, so that reloadConfig
 * reports changes per program and changing one service restarts only that one). {@code tags}
 * are its executable's tags; {@code held}: stopped on purpose (a stop by tag), so never started
 * by the node (and {@code autostart} is false) while held.
 */
public record ProgramSpec(String name, String partitionId, String scriptName, Kind kind, Path command,
                          Path logFile, boolean autostart, Set<String> tags, boolean held) {

    public ProgramSpec {
        tags = tags == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(tags));
    }

    /** An untagged program, not held. */
    public ProgramSpec(String name, String partitionId, String scriptName, Kind kind, Path command, Path logFile,
                       boolean autostart) {
        this(name, partitionId, scriptName, kind, command, logFile, autostart, Set.of(), false);
    }

    /** A service from etc/service is watched (restarted, crashes reported); etc/run runs once. */
    public enum Kind { WATCHED, RUN_ONCE }

    /** The name spec supervisord's XML-RPC takes for this program's only process. */
    public String spec() {
        return name + ":" + name;
    }
}
