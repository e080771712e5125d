package org.slapgrid.node.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The registry of the node's job kinds, by name. */
public final class JobKinds {
    private final Map<String, JobKind> kinds = new ConcurrentHashMap<>();

    /** The kinds every node has: backup, restore, restart. */
    public static JobKinds standard() {
        return new JobKinds().register(new BackupJob()).register(new RestoreJob()).register(new RestartJob());
    }

    public JobKinds register(JobKind kind) {
        if (kinds.putIfAbsent(kind.name(), kind) != null) {
            throw new IllegalArgumentException("job kind '" + kind.name() + "' is registered twice");
        }
        return this;
    }

    public Optional<JobKind> get(String name) {
        return Optional.ofNullable(name == null ? null : kinds.get(name));
    }

    public String names() {
        return String.join(", ", new TreeMap<>(kinds).keySet());
    }
}
