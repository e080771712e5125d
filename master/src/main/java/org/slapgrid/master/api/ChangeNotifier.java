package org.slapgrid.master.api;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slapgrid.master.service.ChangeListener;

/**
 * Wakes the long-polls of a node in this process when one of its changes commits. Other masters
 * sharing the database are not told: their long-polls find the change on their periodic re-check.
 */
public final class ChangeNotifier implements ChangeListener {
    private final ConcurrentMap<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** A future completed at the next change of {@code nodeId}. Subscribe before checking the version. */
    public CompletableFuture<Void> next(String nodeId) {
        return waiting.computeIfAbsent(nodeId, k -> new CompletableFuture<>());
    }

    @Override
    public void changed(Set<String> nodeIds) {
        for (String id : nodeIds) {
            CompletableFuture<Void> f = waiting.remove(id);
            if (f != null) {
                f.complete(null);
            }
        }
    }
}
