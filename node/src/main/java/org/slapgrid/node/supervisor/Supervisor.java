package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slapgrid.node.supervisor.config.ConfigGenerator;
import org.slapgrid.node.supervisor.config.GeneratedFiles;
import org.slapgrid.node.supervisor.config.ProgramNames;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.crash.RestartDuty;
import org.slapgrid.node.supervisor.lifecycle.SupervisordProcess;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slapgrid.node.supervisor.rpc.XmlRpcFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one supervisord, kept in step with the partitions' programs by {@link #apply},
 * {@link #update} and {@link #remove}. Supervision has three owners, each with its own lock
 * and none calling supervisord behind another's: {@link SupervisordProcess} (supervisord's
 * process: start, restart after death, never twice; shutdown), this class (applying program
 * changes, serialised), and {@link RestartDuty} with the {@link CrashWatcher} that drives it
 * (restarting crashed services with backoff; a leaf lock held during no call).
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
    /** The programs of the last applied configuration, by program name, with their partition. */
    private volatile Map<String, Managed> managed = Map.of();
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
        adoptGeneratedFiles();
        return managed;
    }

    private volatile boolean adopted;

    /**
     * Once per Supervisor object: knows the programs of the partition files already on disk,
     * written by an earlier node process, until their partitions are applied again.
     */
    private void adoptGeneratedFiles() {
        if (adopted) {
            return;
        }
        changes.lock();
        try {
            if (!adopted) {
                Map<String, Managed> found = new LinkedHashMap<>(GeneratedFiles.read(layout.includeDir()));
                found.putAll(managed);
                managed = Map.copyOf(found);
                adopted = true;
            }
        } finally {
            changes.unlock();
        }
    }

    /** Restarting crashed services: one owner, driven by a {@link CrashWatcher} when one runs. */
    private final RestartDuty restartDuty = new RestartDuty();

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
        for (String existing : partitionFilesOnDisk()) {
            if (!listed.contains(existing)) {
                stale.add(existing);
            }
        }
        return change(partitions, stale, true);
    }

    /** The executables of a partition now held stopped on purpose (by tag), as last applied. */
    public Set<String> held(String partitionId) {
        Set<String> out = new java.util.TreeSet<>();
        for (Managed m : managedPrograms().values()) {
            if (m.spec().partitionId().equals(partitionId) && m.spec().held()) {
                out.add(m.spec().scriptName());
            }
        }
        return out;
    }

    /** Brings one partition in step, leaving the others alone. */
    public ApplyResult update(PartitionPrograms partition) {
        return change(List.of(partition), Set.of(), false);
    }

    /** Stops and removes every program of a partition and deletes its file. */
    public ApplyResult remove(String partitionId) {
        ProgramNames.checkPartitionId(partitionId);
        return change(List.of(), Set.of(partitionId), false);
    }

    private ApplyResult change(Collection<PartitionPrograms> upserts, Set<String> removals, boolean wholeSet) {
        // Generate everything before touching anything: bad input changes nothing.
        Map<String, ConfigGenerator.GeneratedPartition> generated = new TreeMap<>();
        Map<String, PartitionPrograms> byId = new HashMap<>();
        for (PartitionPrograms p : upserts) {
            ConfigGenerator.GeneratedPartition g = generator.partition(p);
            generated.put(p.partitionId(), g);
            byId.put(p.partitionId(), p);
        }
        adoptGeneratedFiles();
        changes.lock();
        try {
            ensureRunning();
            for (PartitionPrograms p : upserts) {
                ensureLogDir(p);
            }
            long trustedPid = appliedUnderPid;
            appliedUnderPid = -1; // until this change is fully applied: a failure below means reload next time
            boolean filesChanged = false;
            for (ConfigGenerator.GeneratedPartition g : generated.values()) {
                filesChanged |= writeIfChanged(layout.partitionFile(g.partitionId()), g.text());
            }
            for (String id : removals) {
                filesChanged |= Files.deleteIfExists(layout.partitionFile(id));
            }
            Map<String, Managed> before = managed;
            long pid = client.getPID();
            SupervisorClient.ConfigDiff diff = filesChanged || pid != trustedPid ? client.reloadConfig()
                    : new SupervisorClient.ConfigDiff(List.of(), List.of(), List.of());
            for (String name : diff.removed()) {
                stopQuietly(name);
                removeGroup(name);
                deleteLogs(before.get(name));
            }
            for (String id : removals) {
                // the partition's log directory is root's (0750): nothing of the partition's is followed
                org.slapgrid.files.AtomicFiles.deleteTree(layout.partitionLogDir(id));
            }
            for (String name : diff.changed()) {
                stopQuietly(name);
                removeGroup(name);
                addGroup(name);
            }
            for (String name : diff.added()) {
                addGroup(name);
            }
            Map<String, Managed> next = new LinkedHashMap<>(wholeSet ? Map.of() : managed);
            next.values().removeIf(m -> removals.contains(m.spec().partitionId())
                    || byId.containsKey(m.spec().partitionId()));
            for (ConfigGenerator.GeneratedPartition g : generated.values()) {
                for (ProgramSpec spec : g.programs()) {
                    next.put(spec.name(), new Managed(spec, byId.get(g.partitionId()).state()));
                }
            }
            managed = Map.copyOf(next);
            Set<String> reset = new HashSet<>(diff.changed());
            reset.addAll(diff.removed());
            restartDuty.forget(reset); // their history is void (a leaf lock: no call to supervisord behind it)
            List<String> started = new ArrayList<>();
            List<String> stopped = new ArrayList<>();
            enforceStates(byId.keySet(), started, stopped);
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

    /**
     * Starts the watched programs of started partitions that are STOPPED (never started, or
     * stopped by hand), and stops every program of stopped partitions and every held one
     * (stopped on purpose by tag). Programs that EXITED or
     * are FATAL are left to the crash watcher when one runs (it restarts them with backoff and
     * reports them); without one (a one-shot node run) they are started here, as SlapOS does.
     */
    private void enforceStates(Set<String> partitionIds, List<String> started, List<String> stopped) {
        if (partitionIds.isEmpty()) {
            return;
        }
        Map<String, Managed> current = managed;
        for (ProcessInfo info : client.getAllProcessInfo()) {
            Managed m = current.get(info.group());
            if (m == null || !partitionIds.contains(m.spec().partitionId())) {
                continue;
            }
            if (m.partitionState() == PartitionPrograms.DesiredState.STARTED && m.spec().held()) {
                if (info.state().isRunningState()) { // stopped on purpose: stopped, never started
                    stopQuietly(m.spec().name());
                    stopped.add(m.spec().name());
                }
            } else if (m.partitionState() == PartitionPrograms.DesiredState.STARTED) {
                boolean down = info.state() == ProcessState.STOPPED
                        || (info.state().isEnded() && !restartDuty.driven());
                if (m.spec().kind() == ProgramSpec.Kind.WATCHED && down) {
                    try {
                        client.startProcess(m.spec().spec(), false);
                        started.add(m.spec().name());
                    } catch (XmlRpcFault f) {
                        if (f.faultCode() != XmlRpcFault.ALREADY_STARTED) {
                            LOG.warn("cannot start {}: {}", m.spec().name(), f.faultString());
                        }
                    }
                }
            } else if (info.state().isRunningState()) {
                stopQuietly(m.spec().name());
                stopped.add(m.spec().name());
            }
        }
    }

    private void stopQuietly(String program) {
        try {
            client.stopProcess(program + ":" + program, true);
        } catch (XmlRpcFault f) {
            if (f.faultCode() != XmlRpcFault.NOT_RUNNING && f.faultCode() != XmlRpcFault.BAD_NAME) {
                throw f;
            }
        }
    }

    /**
     * The log of a removed program and its rotations (name.log.1, ...): what a removed
     * service printed must not stay behind for whoever gets the partition next.
     */
    private void deleteLogs(Managed removed) throws IOException {
        if (removed == null || removed.spec().logFile() == null || removed.spec().logFile().toString().isEmpty()) {
            return;
        }
        Path log = removed.spec().logFile();
        Files.deleteIfExists(log);
        for (int i = 1; i <= settings.logBackups(); i++) {
            Files.deleteIfExists(log.resolveSibling(log.getFileName() + "." + i));
        }
    }

    /** removeProcessGroup fails with STILL_RUNNING while a stop is in progress: retry briefly. */
    private void removeGroup(String program) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.removeProcessGroup(program);
                return;
            } catch (XmlRpcFault f) {
                if (f.faultCode() == XmlRpcFault.BAD_NAME) {
                    return;
                }
                if (f.faultCode() != XmlRpcFault.STILL_RUNNING || attempt >= 20) {
                    throw f;
                }
                stopQuietly(program);
                sleep(100);
            }
        }
    }

    private void addGroup(String program) {
        try {
            client.addProcessGroup(program);
        } catch (XmlRpcFault f) {
            if (f.faultCode() != XmlRpcFault.ALREADY_ADDED) {
                throw f;
            }
        }
    }

    private List<String> partitionFilesOnDisk() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(layout.includeDir())) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.includeDir(), "*.conf")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                ids.add(name.substring(0, name.length() - ".conf".length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.includeDir(), e);
        }
        return ids;
    }

    /**
     * The partition's log directory, in the node's own var/log: created when missing, owned by
     * the node, readable by the partition's group (mode 0750), so the partition can read its
     * logs but nothing it controls lies on the path supervisord writes.
     */
    private void ensureLogDir(PartitionPrograms p) throws IOException {
        Path logDir = layout.partitionLogDir(p.partitionId());
        if (Files.isSymbolicLink(logDir)) {
            throw new SupervisorException("partition " + p.partitionId() + ": " + logDir + " is a symbolic link");
        }
        if (!Files.isDirectory(logDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(logDir);
        }
        Files.setPosixFilePermissions(logDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        if (Files.isDirectory(p.directory(), LinkOption.NOFOLLOW_LINKS)) {
            // the partition's own group, as format set it on the partition directory
            var group = Files.readAttributes(p.directory(), java.nio.file.attribute.PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).group();
            Files.getFileAttributeView(logDir, java.nio.file.attribute.PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).setGroup(group);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted", e);
        }
    }

    /** Whole-file writes supervisord never sees half done (temp file, fsync, rename), root-only (0600). */
    public static boolean writeIfChanged(Path file, String text) {
        try {
            boolean written = org.slapgrid.files.AtomicFiles.writeIfChanged(file, text, "rw-------");
            if (!written && !PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                    .equals("rw-------")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // written by an older node
            }
            return written;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
