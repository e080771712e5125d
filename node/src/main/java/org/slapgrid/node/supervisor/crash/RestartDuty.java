package org.slapgrid.node.supervisor.crash;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.ProcessState;

/**
 * The one owner of restarting crashed services: which exit of which program is new, how many
 * crashes in a row it had, when it is due to start again (its {@link RestartPolicy}), how many
 * times it was restarted, and whether a {@link CrashWatcher} drives the restarts (then
 * {@link Supervisor} leaves ended programs to it; without one, a one-shot node run starts them
 * at once, as SlapOS does). Pure bookkeeping behind its own lock, which is never held during
 * a call to supervisord: the watcher asks what to do, calls supervisord, and says what came of it.
 */
public final class RestartDuty {

    /** What is remembered of one program between polls. */
    private static final class Track {
        /** (start, stop) of the last exit handled; null once the program was seen alive again. */
        long[] handledExit;
        int consecutiveCrashes;
        int restarts;
        Instant restartAt;
    }

    /** A new exit of a managed program, and when it will be restarted (null: it will not). */
    record Exit(Supervisor.Managed program, ProcessInfo info, boolean neverStarted, Duration ranFor, Duration restartIn) {
    }

    /** A restart that is due; {@code previousExit} is given back with {@link #refused}. */
    record Due(Supervisor.Managed program, long[] previousExit) {
    }

    private final Map<String, Track> tracks = new HashMap<>();
    private RestartPolicy policy = RestartPolicy.defaults();
    private boolean driven;

    /** A watcher takes the restarts over, with its policy. */
    synchronized void drive(RestartPolicy policy) {
        this.policy = policy;
        this.driven = true;
    }

    /** The watcher stopped: ended programs are the applier's again. */
    synchronized void release() {
        driven = false;
    }

    /** True while a watcher restarts ended programs (with backoff). */
    public synchronized boolean driven() {
        return driven;
    }

    /** Looks at one poll: returns the exits not handled before, and schedules their restarts. */
    synchronized List<Exit> observe(Map<String, Supervisor.Managed> managed, List<ProcessInfo> infos, Instant now) {
        List<Exit> exits = new ArrayList<>();
        for (ProcessInfo info : infos) {
            Supervisor.Managed m = managed.get(info.group());
            if (m == null) {
                continue; // not a program of ours (or removed since)
            }
            Track track = tracks.computeIfAbsent(m.spec().name(), k -> new Track());
            if (!info.state().isEnded()) {
                track.handledExit = null;
                if (info.state() == ProcessState.RUNNING && info.now() - info.start() >= policy.resetAfter().toSeconds()) {
                    track.consecutiveCrashes = 0;
                }
                continue;
            }
            long[] exit = {info.start(), info.stop()};
            if (track.handledExit != null && track.handledExit[0] == exit[0] && track.handledExit[1] == exit[1]) {
                continue; // this exit was already handled
            }
            track.handledExit = exit;
            Exit e = exited(m, info, track, now);
            if (e != null) {
                exits.add(e);
            }
        }
        return exits;
    }

    private Exit exited(Supervisor.Managed m, ProcessInfo info, Track track, Instant now) {
        ProgramSpec spec = m.spec();
        boolean neverStarted = info.state() == ProcessState.FATAL;
        if (spec.kind() == ProgramSpec.Kind.RUN_ONCE && !neverStarted && info.exitStatus() == 0) {
            return null; // a run-once script that succeeded
        }
        Duration ranFor = neverStarted ? Duration.ZERO : Duration.ofSeconds(Math.max(0, info.stop() - info.start()));
        Duration restartIn = null;
        if (spec.kind() == ProgramSpec.Kind.WATCHED) {
            if (ranFor.compareTo(policy.resetAfter()) >= 0) {
                track.consecutiveCrashes = 0;
            }
            track.consecutiveCrashes++;
            if (m.partitionState() == PartitionPrograms.DesiredState.STARTED) {
                restartIn = policy.delayAfter(track.consecutiveCrashes);
                track.restartAt = now.plus(restartIn);
            }
        }
        return new Exit(m, info, neverStarted, ranFor, restartIn);
    }

    /** The restarts due now; each program's next exit counts as new, even within the same second. */
    synchronized List<Due> due(Map<String, Supervisor.Managed> managed, Instant now) {
        List<Due> due = new ArrayList<>();
        for (Map.Entry<String, Track> e : tracks.entrySet()) {
            Track track = e.getValue();
            if (track.restartAt == null || now.isBefore(track.restartAt)) {
                continue;
            }
            track.restartAt = null;
            Supervisor.Managed m = managed.get(e.getKey());
            if (m == null || m.partitionState() != PartitionPrograms.DesiredState.STARTED) {
                continue;
            }
            due.add(new Due(m, track.handledExit));
            track.handledExit = null;
        }
        return due;
    }

    /** supervisord started it again. */
    synchronized void restarted(String program) {
        Track t = tracks.get(program);
        if (t != null) {
            t.restarts++;
        }
    }

    /**
     * supervisord refused to start it before spawning (no file, not executable): the state did
     * not change, so no poll will see it; it is a crash of its own, retried after the next delay.
     */
    synchronized Duration refused(Due d, Instant now) {
        Track track = tracks.computeIfAbsent(d.program().spec().name(), k -> new Track());
        track.handledExit = d.previousExit();
        track.consecutiveCrashes++;
        Duration restartIn = policy.delayAfter(track.consecutiveCrashes);
        track.restartAt = now.plus(restartIn);
        return restartIn;
    }

    /** Programs re-created or removed by an apply start afresh. */
    public synchronized void forget(Set<String> programs) {
        programs.forEach(tracks::remove);
    }

    /** How many times a program was restarted after a crash (since it was last (re)created). */
    public synchronized int restarts(String program) {
        Track t = tracks.get(program);
        return t == null ? 0 : t.restarts;
    }

    /** Its crashes in a row (the backoff state). */
    public synchronized int consecutiveCrashes(String program) {
        Track t = tracks.get(program);
        return t == null ? 0 : t.consecutiveCrashes;
    }
}
