package org.slapgrid.node.supervisor;

import java.nio.file.Path;

/**
 * One supervisord program generated from one partition executable. {@code name} is unique on
 * the node and is also its process group (each program is its own group, so that reloadConfig
 * reports changes per program and changing one service restarts only that one).
 */
public record ProgramSpec(String name, String partitionId, String scriptName, Kind kind, Path command,
                          Path logFile, boolean autostart) {

    /** A service from etc/service is watched (restarted, crashes reported); etc/run runs once. */
    public enum Kind { WATCHED, RUN_ONCE }

    /** The name spec supervisord's XML-RPC takes for this program's only process. */
    public String spec() {
        return name + ":" + name;
    }
}
