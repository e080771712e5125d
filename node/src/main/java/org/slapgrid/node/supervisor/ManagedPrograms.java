package org.slapgrid.node.supervisor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slapgrid.node.supervisor.config.GeneratedFiles;

/**
 * The programs this node manages, by program name, with their partition's desired state: what
 * the last applied change left, plus (adoption, once per object) the programs of the partition
 * files an earlier node process wrote, until their partitions are applied again. Adopting lets a
 * restarted node watch programs before it converges each partition again: an unchanged
 * partition may not be converged for a whole periodicity.
 */
final class ManagedPrograms {
    private final Path includeDir;
    private volatile Map<String, Supervisor.Managed> current = Map.of();
    private volatile boolean adopted;

    ManagedPrograms(Path includeDir) {
        this.includeDir = includeDir;
    }

    /** The programs, the files on disk adopted first (once). */
    Map<String, Supervisor.Managed> get() {
        adoptGeneratedFiles();
        return current;
    }

    /** Replaces them all (by the applying change, which holds the change lock). */
    synchronized void set(Map<String, Supervisor.Managed> programs) {
        current = Map.copyOf(programs);
    }

    private void adoptGeneratedFiles() {
        if (adopted) {
            return;
        }
        synchronized (this) {
            if (!adopted) {
                Map<String, Supervisor.Managed> found = new LinkedHashMap<>(GeneratedFiles.read(includeDir));
                found.putAll(current);
                current = Map.copyOf(found);
                adopted = true;
            }
        }
    }
}
