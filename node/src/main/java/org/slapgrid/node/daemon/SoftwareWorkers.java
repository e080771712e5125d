package org.slapgrid.node.daemon;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slapgrid.node.software.SoftwareInstaller;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyState;

/**
 * Software releases build here, on workers of their own, apart from instances: a build that
 * fails or takes two hours holds up only the partitions whose release it is. A release is built
 * once however many partitions (or polls) want it at the same time: they all get the one build's
 * future.
 */
final class SoftwareWorkers implements AutoCloseable {

    /** A release whose build failed is built again after this, doubling up to 30 minutes. */
    static final Backoff BUILD_BACKOFF = Backoff.of(java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(30));

    private final SoftwareInstaller installer;
    private final Backoff buildBackoff;
    private final ExecutorService workers;
    private final Consumer<String> log;
    private final Map<String, CompletableFuture<SoftwareOutcome>> running = new HashMap<>();
    /** A failed build is not tried again before its backoff elapsed (each release its own). */
    private final Map<String, Failure> failures = new HashMap<>();

    private record Failure(Backoff backoff, long retryAt, SoftwareOutcome outcome) {
    }

    SoftwareWorkers(SoftwareInstaller installer, int workers, Backoff buildBackoff, Consumer<String> log) {
        this.installer = installer;
        this.buildBackoff = buildBackoff;
        this.workers = Executors.newFixedThreadPool(workers, PartitionQueue.daemonThreads("software"));
        this.log = log;
    }

    /** True when the release is built on this node. */
    boolean built(String url) {
        try {
            return installer.built(url);
        } catch (IllegalArgumentException e) {
            return false; // an unparsable URL: the reconcile says so
        }
    }

    /** True when the supply asks for work: a build, a removal, or a report the master lacks. */
    boolean needsWork(SoftwareSupply s) {
        boolean built = built(s.url());
        return s.requestedState() == SupplyState.DESTROYED
                ? s.reportedState() != SoftwareState.DESTROYED || Files.exists(installer.directoryOf(s.url()))
                : !built || s.reportedState() != SoftwareState.AVAILABLE;
    }

    /** The build (or removal) of {@code supply}: the running one when there is one, else a new one. */
    synchronized CompletableFuture<SoftwareOutcome> ensure(SoftwareSupply supply) {
        CompletableFuture<SoftwareOutcome> f = running.get(supply.url());
        if (f != null) {
            return f;
        }
        Failure failed = failures.get(supply.url());
        if (failed != null && System.nanoTime() < failed.retryAt() && supply.requestedState() == SupplyState.AVAILABLE) {
            return CompletableFuture.completedFuture(failed.outcome());
        }
        CompletableFuture<SoftwareOutcome> started = new CompletableFuture<>();
        running.put(supply.url(), started);
        workers.execute(() -> {
            SoftwareOutcome o;
            try {
                o = installer.installOne(supply, false);
            } catch (RuntimeException e) {
                o = new SoftwareOutcome(supply.url(), SoftwareOutcome.Kind.FAILED, e.toString());
            }
            if (o.kind() != SoftwareOutcome.Kind.ALREADY_BUILT) {
                log.accept(o.toString());
            }
            synchronized (this) {
                running.remove(supply.url());
                if (o.kind() == SoftwareOutcome.Kind.FAILED) {
                    Backoff b = failures.containsKey(supply.url()) ? failures.get(supply.url()).backoff().failed()
                            : buildBackoff.failed();
                    failures.put(supply.url(), new Failure(b, System.nanoTime() + b.delay().toNanos(), o));
                    log.accept(supply.url() + ": next build attempt in " + b.delay().toSeconds() + " s");
                } else {
                    failures.remove(supply.url());
                }
            }
            started.complete(o);
        });
        return started;
    }

    /** How long until a release whose last build failed may be built again (empty: it did not fail). */
    synchronized java.util.Optional<java.time.Duration> retryIn(String url) {
        Failure f = failures.get(url);
        return f == null ? java.util.Optional.empty()
                : java.util.Optional.of(java.time.Duration.ofNanos(Math.max(0, f.retryAt() - System.nanoTime())));
    }

    /** The outcome of the release's last build when it failed (and no build of it runs now). */
    synchronized java.util.Optional<SoftwareOutcome> failedBuild(String url) {
        Failure f = failures.get(url);
        return f == null || running.containsKey(url) ? java.util.Optional.empty() : java.util.Optional.of(f.outcome());
    }

    @Override
    public void close() {
        workers.shutdownNow(); // a build in progress is killed with its process tree, and built again next time
        try {
            workers.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
