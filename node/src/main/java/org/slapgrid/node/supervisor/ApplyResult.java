package org.slapgrid.node.supervisor;

import java.util.List;

/**
 * What one {@link Supervisor#apply} changed, by program name: programs added, re-created because
 * their definition changed, removed, and started or stopped to match their partition's state.
 */
public record ApplyResult(List<String> added, List<String> changed, List<String> removed, List<String> started,
                          List<String> stopped) {
    public ApplyResult {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        started = List.copyOf(started);
        stopped = List.copyOf(stopped);
    }

    public boolean changedNothing() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && started.isEmpty() && stopped.isEmpty();
    }
}
