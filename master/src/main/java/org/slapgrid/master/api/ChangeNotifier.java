package org.slapgrid.master.api;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slapgrid.master.service.ChangeListener;

/**
 * Wakes the long-polls of a node in this process when one of its changes commits: through this
 * master (after its commit), or through another master sharing a PostgreSQL database (told by
 * the {@code ChangeFeed}); the long-polls' periodic re-check remains as the fallback.
 * Each waiter registers its own future and forgets it when done, so an idle node's repeated
 * polls leave nothing behind.
 */
public final class ChangeNotifier implements ChangeListener {
    private final ConcurrentMap<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /** A future completed at the next change of {@code nodeId}. Subscribe before checking the version. */
    public CompletableFuture<Void> subscribe(String nodeId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.compute(nodeId, (k, set) -> {
            Set<CompletableFuture<Void>> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(f);
            return s;
        });
        return f;
    }

    /** Drops a waiter that no longer waits (it timed out, or was answered). */
    public void forget(String nodeId, CompletableFuture<Void> f) {
        waiting.computeIfPresent(nodeId, (k, set) -> {
            set.remove(f);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many waiters are registered (for tests and monitoring). */
    public int waiters() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Wakes every waiter: each re-checks its node's version and waits again if nothing changed. */
    public void wakeAll() {
        changed(Set.copyOf(waiting.keySet()));
    }

    @Override
    public void changed(Set<String> nodeIds) {
        for (String id : nodeIds) {
            Set<CompletableFuture<Void>> s = waiting.remove(id);
            if (s != null) {
                s.forEach(f -> f.complete(null));
            }
        }
    }
}
