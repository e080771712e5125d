package org.slapgrid.node.supervisor.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the programs a dead supervisord left behind. When supervisord is killed (kill -9, OOM)
 * its children keep running, and a new supervisord would start a second copy of every service
 * (two databases on one data directory). supervisord daemonizes with setsid(), and its children
 * only change their process group, so every leftover is in the session whose id is the dead
 * supervisord's pid: those are found in /proc, sent SIGTERM, then SIGKILL after the stop timeout.
 * Only called when that pid is dead, so the session cannot be anyone else's.
 */
final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private OrphanReaper() {
    }

    /** Terminates the live processes of session {@code deadSessionId}; returns their pids. */
    static List<Long> reap(long deadSessionId, Duration stopTimeout) {
        if (ProcFs.isAlive(deadSessionId)) {
            return List.of(); // the pid is in use again: not a dead session we can recognise
        }
        List<ProcessHandle> orphans = new ArrayList<>();
        for (long pid : sessionMembers(deadSessionId)) {
            if (pid != deadSessionId && ProcFs.isAlive(pid)) {
                ProcessHandle.of(pid).ifPresent(orphans::add);
            }
        }
        if (orphans.isEmpty()) {
            return List.of();
        }
        List<Long> pids = orphans.stream().map(ProcessHandle::pid).toList();
        LOG.warn("supervisord (pid {}) died and left {} process(es) running; stopping them before "
                + "starting a new supervisord: {}", deadSessionId, orphans.size(), pids);
        orphans.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        while (System.nanoTime() < deadline && pids.stream().anyMatch(ProcFs::isAlive)) {
            sleep(50);
        }
        orphans.stream().filter(p -> ProcFs.isAlive(p.pid())).forEach(ProcessHandle::destroyForcibly);
        return pids;
    }

    static List<Long> sessionMembers(long sessionId) {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong)
                    .filter(pid -> ProcFs.sessionOf(pid) == sessionId)
                    .forEach(members::add);
        } catch (IOException e) {
            LOG.warn("cannot list /proc to find processes left by a dead supervisord: {}", e.getMessage());
        }
        return members;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
