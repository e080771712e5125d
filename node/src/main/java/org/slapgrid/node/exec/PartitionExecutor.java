package org.slapgrid.node.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a partition's executables (promises, prerm scripts, its buildout) with that partition's
 * privileges: as root, through {@code runuser -u USER --}, so nothing a partition provides ever
 * runs as root; always with a clean environment (the node's own variables, secrets included,
 * never leak into a partition), the partition as working directory, and a deadline.
 *
 * <p>Each run is a session of its own ({@code setsid}), and when the executable has ended, or
 * at the deadline, every process left in that session is killed: a promise cannot leave a
 * background child behind. The output is read without a reader thread and without ever
 * blocking: only what the pipe holds is read, and reading stops when the executable has ended
 * (or was killed). A grandchild that left the session and keeps the output open cannot hold
 * the node: nothing waits for the end of its output (the pipe is closed under it).
 *
 * <p>Written on the JDK's ProcessBuilder rather than zt-exec: what a run needs beyond starting
 * a process is killing its whole session at its end and reading a bounded output without a
 * thread; zt-exec stops only the process it started (its {@code closeTimeout} bounds the wait
 * for an output a grandchild holds open, but kills nothing), so both would be written by hand
 * around it anyway.
 */
public final class PartitionExecutor {

    /** How much of an executable's output is kept: the tail, where errors usually are. */
    public static final int OUTPUT_TAIL_BYTES = 16 * 1024;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /**
     * runuser by its absolute path: it is looked up by setsid, as root, in the command's own
     * environment, whose PATH a caller may set (a scaling hook's starts with the partition's
     * bin/): a name there would let a partition choose what root runs.
     */
    private static final String RUNUSER = java.util.stream.Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser",
            "/bin/runuser").filter(f -> Files.isExecutable(Path.of(f))).findFirst().orElse("/usr/sbin/runuser");
    /** How often the output is drained while the executable runs: a pipe holds 64 KiB. */
    private static final long POLL_MILLIS = 20;
    /** Enough rounds of SIGKILL for a forking loop: each round kills what the previous one missed. */
    private static final int KILL_ROUNDS = 100;

    private final ChildLedger ledger;

    public PartitionExecutor() {
        this(null);
    }

    /** An executor whose children are recorded in {@code ledger} while they run (buildouts: see {@link ChildLedger}). */
    public PartitionExecutor(ChildLedger ledger) {
        this.ledger = ledger;
    }

    public ExecResult run(List<String> command, RunAs who, Map<String, String> extraEnvironment, Duration timeout)
            throws IOException {
        // into the partition's cgroup first, as root; each step execs the next, so the pid stays
        List<String> argv = new ArrayList<>(who.enter());
        boolean ownSession = Files.isExecutable(SETSID);
        if (ownSession) {
            argv.add(SETSID.toString()); // not a group leader: setsid() then exec, same pid
        }
        if (who.switchesUser()) {
            argv.addAll(List.of(RUNUSER, "-u", who.user(), "--"));
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (Files.isDirectory(who.home())) {
            pb.directory(who.home().toFile());
        }
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", PATH);
        env.put("HOME", who.home().toString());
        env.put("USER", who.user() == null ? System.getProperty("user.name") : who.user());
        env.put("LANG", "C.UTF-8");
        env.putAll(extraEnvironment);

        long start = System.nanoTime();
        // a duration of years must not overflow into the past
        long budget = timeout.compareTo(Duration.ofDays(3650)) > 0 ? Duration.ofDays(3650).toNanos() : timeout.toNanos();
        Process p = pb.start();
        boolean recorded = false;
        try {
            if (ledger != null && ownSession) {
                ledger.started(p.pid(), who.home(), String.join(" ", command.subList(Math.max(0, command.size() - 3), command.size())));
                recorded = true;
            }
            return runStarted(p, command, ownSession, start, budget);
        } catch (IOException | RuntimeException e) {
            if (!recorded && p.isAlive()) {
                kill(p, ownSession); // not recorded: it must not outlive this call
            }
            throw e;
        } finally {
            if (recorded) {
                ledger.ended(p.pid());
            }
        }
    }

    private ExecResult runStarted(Process p, List<String> command, boolean ownSession, long start, long budget)
            throws IOException {
        InputStream out = p.getInputStream();
        OutputTail tail = new OutputTail(OUTPUT_TAIL_BYTES);
        boolean finished = false;
        try {
            while (true) {
                tail.drain(out);
                if (p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    finished = true;
                    break;
                }
                if (System.nanoTime() - start >= budget) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            kill(p, ownSession);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            if (!finished) {
                kill(p, ownSession);
            }
        }
        if (ownSession) {
            ProcessTable.kill(ProcessTable.inSession(p.pid())); // what it left running in the background
        }
        tail.drain(out); // what it wrote before it ended; nothing written after is waited for
        try {
            out.close();
        } catch (IOException e) {
            // nothing more to read anyway
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new ExecResult(finished ? p.exitValue() : -1, tail.text(), !finished, took);
    }

    /** Kills the executable and everything in its session (or, without setsid, its descendants). */
    private static void kill(Process p, boolean ownSession) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        if (ownSession) {
            for (int i = 0; i < KILL_ROUNDS; i++) {
                List<Long> left = ProcessTable.inSession(p.pid());
                if (left.isEmpty()) {
                    break;
                }
                ProcessTable.kill(left);
            }
        }
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code limit} bytes of a stream, read only as far as it can be without blocking. */
    private static final class OutputTail {
        private final byte[] ring;
        private final byte[] buf = new byte[8192];
        private long total;

        OutputTail(int limit) {
            this.ring = new byte[limit];
        }

        void drain(InputStream in) {
            try {
                int n;
                while ((n = in.available()) > 0) {
                    int r = in.read(buf, 0, Math.min(n, buf.length)); // at most what is there: never blocks
                    if (r <= 0) {
                        return;
                    }
                    for (int i = 0; i < r; i++) {
                        ring[(int) (total++ % ring.length)] = buf[i];
                    }
                }
            } catch (IOException e) {
                // closed under us (the process ended and its pipe was reclaimed): keep what was read
            }
        }

        String text() {
            if (total <= ring.length) {
                return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
            }
            int start = (int) (total % ring.length);
            byte[] out = new byte[ring.length];
            System.arraycopy(ring, start, out, 0, ring.length - start);
            System.arraycopy(ring, 0, out, ring.length - start, start);
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** The executables of a directory, sorted by name; an absent directory has none. */
    public static List<Path> executablesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(f -> Files.isRegularFile(f) && Files.isExecutable(f))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }
}
