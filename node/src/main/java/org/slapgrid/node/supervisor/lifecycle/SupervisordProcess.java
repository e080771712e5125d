package org.slapgrid.node.supervisor.lifecycle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.node.supervisor.Sleeps;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorException;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;
import org.slapgrid.node.supervisor.config.ConfigFiles;
import org.slapgrid.node.supervisor.config.ConfigGenerator;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.crash.RestartDuty;
import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slapgrid.node.supervisor.rpc.SupervisorUnreachable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * supervisord's process: started when its socket does not answer, restarted when it died
 * (after stopping what the dead one left running), never started twice (a monitor in this
 * process, a file lock next to the pid file across node processes), and shut down. Its lock
 * guards the start only; applying programs ({@link Supervisor}) and restarting crashed ones
 * ({@link RestartDuty}, {@link CrashWatcher}) have theirs.
 */
public final class SupervisordProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisordProcess.class);

    private final SupervisorSettings settings;
    private final SupervisorLayout layout;
    private final ConfigGenerator generator;
    private final SupervisorClient client;
    private final Object starting = new Object();

    public SupervisordProcess(SupervisorSettings settings, ConfigGenerator generator, SupervisorClient client) {
        this.settings = settings;
        this.layout = settings.layout();
        this.generator = generator;
        this.client = client;
    }

    /**
     * Makes sure supervisord answers on its socket: does nothing when it does; otherwise writes
     * the main configuration and starts it, first stopping the programs a dead supervisord left
     * running. Refuses to start a second supervisord while the recorded one is alive.
     */
    public Supervisor.StartOutcome ensureRunning() {
        if (client.isRunning()) {
            return Supervisor.StartOutcome.ALREADY_RUNNING;
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

    private Supervisor.StartOutcome startLocked() throws IOException {
        if (client.isRunning()) {
            return Supervisor.StartOutcome.ALREADY_RUNNING; // another thread or process started it meanwhile
        }
        Optional<Long> recorded = recordedPid();
        if (recorded.isPresent() && isSupervisord(recorded.get())) {
            // Alive but not answering yet (starting, or busy): wait for it rather than start another.
            if (awaitAnswer()) {
                return Supervisor.StartOutcome.ALREADY_RUNNING;
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
        ConfigFiles.writeIfChanged(layout.configFile(), generator.mainConfig());
        launch();
        if (!awaitAnswer()) {
            throw new SupervisorException("supervisord started with " + layout.configFile()
                    + " but does not answer on " + layout.socket() + " after "
                    + settings.startTimeout().toSeconds() + " s; see " + layout.logFile());
        }
        LOG.info("supervisord started (pid {}) with {}", client.getPID(), layout.configFile());
        return died ? Supervisor.StartOutcome.RESTARTED_AFTER_DEATH : Supervisor.StartOutcome.STARTED;
    }

    private void createDirectories() throws IOException {
        Files.createDirectories(layout.includeDir());
        Files.createDirectories(layout.logFile().getParent());
        Files.createDirectories(layout.childLogDir());
        Files.createDirectories(layout.pidFile().getParent());
        Path socketDir = layout.socket().getParent();
        Files.createDirectories(socketDir);
        // Only the node's user may even reach the socket (supervisord also chmods it 0700), read
        // the programs' definitions (every tenant's commands and paths) or supervisord's log.
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(layout.includeDir(), PosixFilePermissions.fromString("rwx------"));
        if (!layout.logFile().getParent().equals(layout.childLogDir())) {
            Files.setPosixFilePermissions(layout.logFile().getParent(), PosixFilePermissions.fromString("rwx------"));
        }
        // partitions reach their own var/log/<partition>/ (0750, their group), but list nothing here
        Files.setPosixFilePermissions(layout.childLogDir(), PosixFilePermissions.fromString("rwx--x--x"));
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
            Sleeps.sleep(50); // supervisord needs a few hundred ms to bind its socket: poll, not spin
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
        // a start in progress on another thread (the crash watcher reviving it) ends first and what it
        // started is shut down too: checked alone, "not answering yet" returned at once and left it running
        synchronized (starting) {
            shutdownStarted();
        }
    }

    private void shutdownStarted() {
        if (!client.isRunning()) {
            Optional<Long> recorded = recordedPid();
            if (recorded.isEmpty() || !isSupervisord(recorded.get()) || !awaitAnswer()) {
                return; // not running (a recorded one alive that never answers is ensureRunning's to refuse)
            }
        }
        long pid = client.getPID();
        try {
            client.shutdown();
        } catch (SupervisorUnreachable e) {
            // it may close the connection while going down
        }
        long deadline = System.nanoTime() + settings.stopTimeout().plusSeconds(10).toNanos();
        while (ProcFs.isAlive(pid) && System.nanoTime() < deadline) {
            Sleeps.sleep(50);
        }
        if (ProcFs.isAlive(pid)) {
            throw new SupervisorException("supervisord (pid " + pid + ") did not exit after shutdown");
        }
    }

}
