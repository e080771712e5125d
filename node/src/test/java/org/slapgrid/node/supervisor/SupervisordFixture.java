package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slapgrid.node.supervisor.crash.CrashListener;
import org.slapgrid.node.supervisor.crash.CrashReport;
import org.slapgrid.node.supervisor.crash.CrashSummary;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.lifecycle.ProcFs;
import org.slapgrid.testing.Require;

/** Test helpers around a real supervisord in a temporary directory. */
public final class SupervisordFixture {
    private SupervisordFixture() {
    }

    /** Skips when Debian's supervisor is not installed, except under CI where it must be. */
    static void requireSupervisord() {
        boolean present = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> List.of(p.split(":")).stream())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "supervisord")));
        Require.that(present, "supervisord is not installed (apt-get install supervisor)");
    }

    /**
     * Stops the supervisord of {@code root} however the library fared: a clean shutdown, else
     * SIGTERM to the pid in its pid file (supervisord then stops its programs), so that a failed
     * test leaves no process behind.
     */
    static void stopSupervisord(Supervisor supervisor) {
        try {
            supervisor.shutdown();
        } catch (RuntimeException | LinkageError e) {
            Path pidFile = supervisor.settings().layout().pidFile();
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !ProcFs.isAlive(pid));
            } catch (IOException | NumberFormatException ignored) {
                // no pid file: it was not started
            }
            throw e;
        }
    }

    static SupervisorSettings settings(Path root) {
        // Short stop timeout: test programs are sleeps that die on SIGTERM at once anyway.
        return SupervisorSettings.defaults(SupervisorLayout.under(root), "testnode")
                .withStopTimeout(Duration.ofSeconds(3));
    }

    public static Path script(Path partition, String dir, String name, String body) throws IOException {
        Path file = partition.resolve("etc").resolve(dir).resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Records what a CrashWatcher reports. */
    static final class Recorder implements CrashListener {
        final List<CrashReport> crashes = new CopyOnWriteArrayList<>();
        final List<CrashSummary> summaries = new CopyOnWriteArrayList<>();

        @Override
        public void crashed(CrashReport report) {
            crashes.add(report);
        }

        @Override
        public void crashesSuppressed(CrashSummary summary) {
            summaries.add(summary);
        }

        List<CrashReport> of(String program) {
            return crashes.stream().filter(c -> c.program().equals(program)).toList();
        }
    }
}
