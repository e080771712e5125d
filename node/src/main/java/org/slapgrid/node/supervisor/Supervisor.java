package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slapgrid.node.supervisor.config.ConfigFiles;
import org.slapgrid.node.supervisor.config.ConfigGenerator;
import org.slapgrid.node.supervisor.config.ProgramNames;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.crash.RestartDuty;
import org.slapgrid.node.supervisor.lifecycle.SupervisordProcess;
import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one supervisord, kept in step with the partitions' programs by {@link #apply},
 * {@link #update} and {@link #remove}. Supervision has three owners, each with its own lock
 * and none calling supervisord behind another's: {@link SupervisordProcess} (supervisord's
 * process: start, restart after death, never twice; shutdown), this class (applying program
 * changes, serialised), and {@link RestartDuty} with the {@link CrashWatcher} that drives it
 * (restarting crashed services with backoff; a leaf lock held during no call). Applying a change
 * leans on one part per concern: {@link ConfigGenerator} and {@link ConfigFiles} (the files),
 * {@link ProgramGroups} (supervisord's diff, program by program), {@link ProgramStates} (the
 * partitions' desired states), {@link ManagedPrograms} (what is managed, adopted from disk after
 * a node restart) and {@link PartitionLogs} (the log directories).
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    /** What {@link #ensureRunning()} found. */
    public enum StartOutcome { ALREADY_RUNNING, STARTED, RESTARTED_AFTER_DEATH }

    private final SupervisorSettings settings;
    private final SupervisorLayout layout;
    private final ConfigGenerator generator;
    private final SupervisorClient client;
    private final ReentrantLock changes = new ReentrantLock();
    private final SupervisordProcess process;
    private final ManagedPrograms managed;
    /** Restarting crashed services: one owner, driven by a {@link CrashWatcher} when one runs. */
    private final RestartDuty restartDuty = new RestartDuty();
    private final ProgramGroups groups;
    private final ProgramStates states;
    private final PartitionLogs logs;
    /**
     * The supervisord pid under which the files on disk were last fully applied (-1: never by
     * this object). While it is unchanged and no file changes, reloadConfig (a re-parse of every
     * file, ~100 ms) would find nothing, so an unchanged partition costs one cheap call.
     */
    private long appliedUnderPid = -1;

    /** A program this node manages, and the state its partition should be in. */
    public record Managed(ProgramSpec spec, PartitionPrograms.DesiredState partitionState) {
    }

    public Supervisor(SupervisorSettings settings) {
        this.settings = settings;
        this.layout = settings.layout();
        this.generator = new ConfigGenerator(settings);
        this.client = new SupervisorClient(layout.socket(), settings.callTimeout());
        this.process = new SupervisordProcess(settings, generator, client);
        this.managed = new ManagedPrograms(layout.includeDir());
        this.groups = new ProgramGroups(client);
        this.states = new ProgramStates(client, groups, restartDuty);
        this.logs = new PartitionLogs(layout, settings.logBackups());
    }

    public SupervisorClient client() {
        return client;
    }

    public SupervisorSettings settings() {
        return settings;
    }

    public ConfigGenerator generator() {
        return generator;
    }

    /**
     * The programs this node manages. Filled by apply/update/remove; after a node restart the
     * first apply fills it again without restarting anything that did not change.
     */
    public Map<String, Managed> managedPrograms() {
        return managed.get();
    }

    public RestartDuty restartDuty() {
        return restartDuty;
    }

    // --- lifecycle: supervisord's process is SupervisordProcess's ----------------------------

    /**
     * Makes sure supervisord answers on its socket: does nothing when it does; otherwise writes
     * the main configuration and starts it, first stopping the programs a dead supervisord left
     * running. Refuses to start a second supervisord while the recorded one is alive.
     */
    public StartOutcome ensureRunning() {
        return process.ensureRunning();
    }

    /** Stops every program and supervisord itself, and waits until it has exited. */
    public void shutdown() {
        process.shutdown();
    }

    // --- applying partitions ------------------------------------------------------------------

    /**
     * Makes supervisord run exactly these partitions (the node's whole desired set): writes the
     * changed partition files, removes the files of partitions no longer listed, and applies
     * supervisord's diff program by program.
     */
    public ApplyResult apply(Collection<PartitionPrograms> partitions) {
        Set<String> listed = new HashSet<>();
        for (PartitionPrograms p : partitions) {
            if (!listed.add(p.partitionId())) {
                throw new SupervisorException("partition " + p.partitionId() + " is listed twice");
            }
        }
        Set<String> stale = new HashSet<>();
        for (Path file : ConfigFiles.partitionFiles(layout.includeDir())) {
            String existing = ConfigFiles.partitionId(file);
            if (!listed.contains(existing)) {
                stale.add(existing);
            }
        }
        return bringInStep(partitions, stale, true);
    }

    /** The executables of a partition now held stopped on purpose (by tag), as last applied. */
    public Set<String> held(String partitionId) {
        Set<String> out = new TreeSet<>();
        for (Managed m : managedPrograms().values()) {
            if (m.spec().partitionId().equals(partitionId) && m.spec().held()) {
                out.add(m.spec().scriptName());
            }
        }
        return out;
    }

    /** Brings one partition in step, leaving the others alone. */
    public ApplyResult update(PartitionPrograms partition) {
        return bringInStep(List.of(partition), Set.of(), false);
    }

    /** Stops and removes every program of a partition and deletes its file. */
    public ApplyResult remove(String partitionId) {
        ProgramNames.checkPartitionId(partitionId);
        return bringInStep(List.of(), Set.of(partitionId), false);
    }

    /**
     * Writes the files of {@code upserts}, deletes those of {@code removals}, has supervisord
     * reload and applies its diff, then puts the upserted partitions' programs in their desired
     * state. {@code wholeSet}: the upserts are every partition the node manages.
     */
    private ApplyResult bringInStep(Collection<PartitionPrograms> upserts, Set<String> removals, boolean wholeSet) {
        // Generate everything before touching anything: bad input changes nothing.
        Map<String, ConfigGenerator.GeneratedPartition> generated = new TreeMap<>();
        Map<String, PartitionPrograms> byId = new HashMap<>();
        for (PartitionPrograms p : upserts) {
            ConfigGenerator.GeneratedPartition g = generator.partition(p);
            generated.put(p.partitionId(), g);
            byId.put(p.partitionId(), p);
        }
        managed.get(); // adopts the files an earlier node wrote (once), before this change builds on them
        changes.lock();
        try {
            ensureRunning();
            for (PartitionPrograms p : upserts) {
                logs.ensureDirectory(p);
            }
            long trustedPid = appliedUnderPid;
            appliedUnderPid = -1; // until this change is fully applied: a failure below means reload next time
            boolean filesChanged = false;
            for (ConfigGenerator.GeneratedPartition g : generated.values()) {
                filesChanged |= ConfigFiles.writeIfChanged(layout.partitionFile(g.partitionId()), g.text());
            }
            for (String id : removals) {
                filesChanged |= Files.deleteIfExists(layout.partitionFile(id));
            }
            Map<String, Managed> before = managed.get();
            long pid = client.getPID();
            SupervisorClient.ConfigDiff diff = filesChanged || pid != trustedPid ? client.reloadConfig()
                    : new SupervisorClient.ConfigDiff(List.of(), List.of(), List.of());
            for (String name : diff.removed()) {
                groups.stopQuietly(name);
                groups.remove(name);
                logs.deleteProgramLogs(before.get(name));
            }
            for (String id : removals) {
                logs.deleteDirectory(id);
            }
            for (String name : diff.changed()) {
                groups.stopQuietly(name);
                groups.remove(name);
                groups.add(name);
            }
            for (String name : diff.added()) {
                groups.add(name);
            }
            Map<String, Managed> next = new LinkedHashMap<>(wholeSet ? Map.of() : before);
            next.values().removeIf(m -> removals.contains(m.spec().partitionId())
                    || byId.containsKey(m.spec().partitionId()));
            for (ConfigGenerator.GeneratedPartition g : generated.values()) {
                for (ProgramSpec spec : g.programs()) {
                    next.put(spec.name(), new Managed(spec, byId.get(g.partitionId()).state()));
                }
            }
            managed.set(next);
            Set<String> reset = new HashSet<>(diff.changed());
            reset.addAll(diff.removed());
            restartDuty.forget(reset); // their history is void (a leaf lock: no call to supervisord behind it)
            List<String> started = new ArrayList<>();
            List<String> stopped = new ArrayList<>();
            states.enforce(managed.get(), byId.keySet(), started, stopped);
            appliedUnderPid = pid;
            ApplyResult result = new ApplyResult(diff.added(), diff.changed(), diff.removed(), started, stopped);
            if (!result.changedNothing()) {
                LOG.info("supervisord updated: {}", result);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            changes.unlock();
        }
    }
}
