package org.slapgrid.node.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * Ends every process of an unprivileged Unix user, and says whether any is left. The kill is
 * sent <em>as that user</em> ({@code runuser -u USER -- kill -9 -1}): kill(-1) reaches
 * every process the caller may signal, which for an unprivileged user is exactly its own, in one
 * pass of the kernel that a racing fork cannot escape; and since it runs with the user's
 * privileges no pid read from /proc (and perhaps reused meanwhile) is ever signalled by root.
 * /proc is then read only to check that none is left.
 */
public final class UserProcesses {

    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final int ROUNDS = 5;

    private UserProcesses() {
    }

    /**
     * Kills every process of {@code user} and waits until none is left.
     *
     * @throws IOException when some are still there after {@value #ROUNDS} rounds (a process in
     *                     uninterruptible sleep, say): the caller must not go on as if the user were idle
     */
    public static void endAll(String user, PartitionExecutor executor) throws IOException {
        long uid = uidOf(user);
        if (uid == 0) {
            throw new IllegalArgumentException("refusing to end every process of root");
        }
        for (int round = 0; round < ROUNDS; round++) {
            if (alive(uid).isEmpty()) {
                return;
            }
            // exit status 1 only means that nothing was left to signal
            executor.run(List.of("kill", "-9", "-1"), new RunAs(user, Path.of("/")), Map.of(), SETTLE);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!alive(uid).isEmpty() && System.nanoTime() < deadline) {
                sleep();
            }
        }
        List<Long> left = alive(uid);
        if (!left.isEmpty()) {
            throw new IOException("processes of user " + user + " are still running after SIGKILL: " + left);
        }
    }

    /** The pids of live (not zombie) processes whose real, effective, saved or file-system uid is {@code uid}. */
    public static List<Long> alive(long uid) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                if (belongsTo(p.resolve("status"), uid)) {
                    out.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return out;
    }

    private static boolean belongsTo(Path status, long uid) {
        try {
            boolean zombie = false;
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("State:")) {
                    zombie = line.contains("Z (") || line.contains("X (");
                } else if (line.startsWith("Uid:")) {
                    for (String id : line.substring(4).trim().split("\\s+")) {
                        if (Long.parseLong(id) == uid) {
                            return !zombie;
                        }
                    }
                    return false;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile
        }
    }

    /** The uid of a user (from the system's user database, as {@code id -u} reads it). */
    public static long uidOf(String user) throws IOException {
        ProcessResult r;
        try {
            r = new ProcessExecutor().command("id", "-u", "--", user).readOutput(true).redirectErrorStream(true)
                    .timeout(30, TimeUnit.SECONDS).execute();
        } catch (TimeoutException e) {
            throw new IOException("no answer from id -u " + user + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up user " + user, e);
        }
        String out = r.outputUTF8().strip();
        if (r.getExitValue() != 0) {
            throw new IOException("no user " + user + ": " + out);
        }
        return Long.parseLong(out);
    }

    private static void sleep() {
        try {
            Thread.sleep(20); // SIGKILL is delivered asynchronously: poll /proc until it took effect
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
