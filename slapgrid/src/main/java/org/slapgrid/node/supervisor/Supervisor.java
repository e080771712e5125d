package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one supervisord: started when its socket does not answer, restarted when it died
 * (after stopping what the dead one left running), never started twice, and kept in step with
 * the partitions' programs by {@link #apply}, {@link #update} and {@link #remove}.
 *
 * <p>Thread-safe: changes are serialised; a file lock next to the pid file also keeps two node
 * processes from starting two supervisords.
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
    private final Object starting = new Object();
    /** The programs of the last applied configuration, by program name, with their partition. */
    private volatile Map<String, Managed> managed = Map.of();
    private final List<Consumer<Set<String>>> resetListeners = new CopyOnWriteArrayList<>();
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

    /** True while a started {@link CrashWatcher} restarts crashed services (with its backoff). */
    private volatile boolean crashWatcherRunning;

    void crashWatcherRunning(boolean running) {
        crashWatcherRunning = running;
    }

    /** Called with the names of programs that were re-created or removed (their history is void). */
    void onProgramsReset(Consumer<Set<String>> listener) {
        resetListeners.add(listener);
    }

    // --- lifecycle ------------------------------------------------------------------------------

    /**
     * Makes sure supervisord answers on its socket: does nothing when it does; otherwise writes
     * the main configuration and starts it, first stopping the programs a dead supervisord left
     * running. Refuses to start a second supervisord while the recorded one is alive.
     */
    public StartOutcome ensureRunning() {
        if (client.isRunning()) {
            return StartOutcome.ALREADY_RUNNING;
        }
        synchronized (starting) {
            try {
                createDirectories();
                try (FileChannel lockFile = FileChannel.open(layout.pidFile().resolveSibling("supervisord.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    return startLocked();
                }
            } catch (IOException e) {
                throw new SupervisorException("cannot start supervisord: " + e.getMessage(), e);
            }
        }
    }

    private StartOutcome startLocked() throws IOException {
        if (client.isRunning()) {
            return StartOutcome.ALREADY_RUNNING; // another thread or process started it meanwhile
        }
        Optional<Long> recorded = recordedPid();
        if (recorded.isPresent() && isSupervisord(recorded.get())) {
            // Alive but not answering yet (starting, or busy): wait for it rather than start another.
            if (awaitAnswer()) {
                return StartOutcome.ALREADY_RUNNING;
            }
            throw new SupervisorException("supervisord (pid " + recorded.get() + ") is alive but its socket "
                    + layout.socket() + " does not answer; not starting a second one");
        }
        boolean died = recorded.isPresent();
        if (died) {
            LOG.warn("supervisord (pid {}) is not running any more; restarting it", recorded.get());
            OrphanReaper.reap(recorded.get(), settings.stopTimeout());
            Files.deleteIfExists(layout.pidFile());
        }
        writeIfChanged(layout.configFile(), generator.mainConfig());
        launch();
        if (!awaitAnswer()) {
            throw new SupervisorException("supervisord started with " + layout.configFile()
                    + " but does not answer on " + layout.socket() + " after "
                    + settings.startTimeout().toSeconds() + " s; see " + layout.logFile());
        }
        LOG.info("supervisord started (pid {}) with {}", client.getPID(), layout.configFile());
        return died ? StartOutcome.RESTARTED_AFTER_DEATH : StartOutcome.STARTED;
    }

    private void createDirectories() throws IOException {
        Files.createDirectories(layout.includeDir());
        Files.createDirectories(layout.logFile().getParent());
        Files.createDirectories(layout.childLogDir());
        Files.createDirectories(layout.pidFile().getParent());
        Path socketDir = layout.socket().getParent();
        Files.createDirectories(socketDir);
        // Only the node's user may even reach the socket (supervisord also chmods it 0700).
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Runs supervisord, which daemonizes: the launcher exits once the daemon is set up. */
    private void launch() throws IOException {
        Path launchLog = layout.logFile().resolveSibling("supervisord-launch.log");
        ProcessBuilder pb = new ProcessBuilder(settings.supervisord(), "-c", layout.configFile().toString());
        // A clean environment: programs inherit supervisord's, and the node's must not leak into them.
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("LANG", "C.UTF-8");
        pb.directory(layout.configFile().getParent().toFile());
        pb.redirectErrorStream(true).redirectOutput(launchLog.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        Process launcher;
        try {
            launcher = pb.start();
        } catch (IOException e) {
            throw new SupervisorException("cannot run '" + settings.supervisord()
                    + "' (is Debian's supervisor package installed?): " + e.getMessage(), e);
        }
        try {
            if (!launcher.waitFor(settings.startTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                launcher.destroyForcibly();
                throw new SupervisorException("supervisord did not daemonize within "
                        + settings.startTimeout().toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted while starting supervisord", e);
        }
        if (launcher.exitValue() != 0) {
            throw new SupervisorException("supervisord -c " + layout.configFile() + " failed (exit "
                    + launcher.exitValue() + "): " + Files.readString(launchLog, StandardCharsets.UTF_8).strip());
        }
    }

    private boolean awaitAnswer() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (client.isRunning()) {
                return true;
            }
            sleep(50); // supervisord needs a few hundred ms to bind its socket: poll, not spin
        }
        return client.isRunning();
    }

    private Optional<Long> recordedPid() {
        try {
            String text = Files.readString(layout.pidFile()).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isSupervisord(long pid) {
        return ProcFs.isAlive(pid) && ProcFs.cmdline(pid).contains("supervisord");
    }

    /**
     * Asks supervisord to stop every program and exit, and waits until it has (bounded by the
     * stop timeout plus a margin). Does nothing when it is not running.
     */
    public void shutdown() {
        if (!client.isRunning()) {
            return;
        }
        long pid = client.getPID();
        try {
            client.shutdown();
        } catch (SupervisorUnreachable e) {
            // it may close the connection while going down
        }
        long deadline = System.nanoTime() + settings.stopTimeout().plusSeconds(10).toNanos();
        while (ProcFs.isAlive(pid) && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (ProcFs.isAlive(pid)) {
            throw new SupervisorException("supervisord (pid " + pid + ") did not exit after shutdown");
        }
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
            long pid = client.getPID();
            SupervisorClient.ConfigDiff diff = filesChanged || pid != trustedPid ? client.reloadConfig()
                    : new SupervisorClient.ConfigDiff(List.of(), List.of(), List.of());
            for (String name : diff.removed()) {
                stopQuietly(name);
                removeGroup(name);
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
            if (!reset.isEmpty()) {
                resetListeners.forEach(l -> l.accept(Set.copyOf(reset)));
            }
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
     * stopped by hand), and stops every program of stopped partitions. Programs that EXITED or
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
            if (m.partitionState() == PartitionPrograms.DesiredState.STARTED) {
                boolean down = info.state() == ProcessState.STOPPED
                        || (info.state().isEnded() && !crashWatcherRunning);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted", e);
        }
    }

    /** Whole-file writes supervisord never sees half done (temp file, fsync, rename). */
    private static boolean writeIfChanged(Path file, String text) {
        try {
            return org.slapgrid.node.io.AtomicFiles.writeIfChanged(file, text, "rw-r--r--");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
