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
 * never leak into a partition), the partition as working directory, and a timeout after which
 * the whole process tree is killed.
 *
 * <p>Written on the JDK's ProcessBuilder rather than zt-exec because killing the descendants
 * on timeout needs {@link ProcessHandle#descendants()} on the very process it started.
 */
public final class PartitionExecutor {

    /** How much of an executable's output is kept: the tail, where errors usually are. */
    public static final int OUTPUT_TAIL_BYTES = 16 * 1024;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ExecResult run(List<String> command, RunAs who, Map<String, String> extraEnvironment, Duration timeout)
            throws IOException {
        List<String> argv = new ArrayList<>();
        if (who.switchesUser()) {
            argv.addAll(List.of("runuser", "-u", who.user(), "--"));
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
        Process p = pb.start();
        OutputTail tail = new OutputTail(p.getInputStream(), OUTPUT_TAIL_BYTES);
        Thread reader = new Thread(tail, "output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(p);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new ExecResult(finished ? p.exitValue() : -1, tail.text(), !finished, took);
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads a stream to its end, keeping only the last {@code limit} bytes. */
    private static final class OutputTail implements Runnable {
        private final InputStream in;
        private final byte[] ring;
        private long total;

        OutputTail(InputStream in, int limit) {
            this.in = in;
            this.ring = new byte[limit];
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % ring.length)] = buf[i];
                        }
                    }
                }
            } catch (IOException e) {
                // the process was killed: keep what was read
            }
        }

        synchronized String text() {
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
