package org.slapgrid.node.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's record of the long-running children it started (buildouts of partitions and of
 * releases), so that a node killed with SIGKILL does not leave them running beside the ones its
 * successor starts in the same directory. Each child has a file {@code <dir>/<pid>.child} in the
 * node's root-owned state directory (mode 0600, never in a tree a partition controls), holding
 * its pid, its session (each run is a session of its own), its start time in
 * {@code /proc/PID/stat} (so a reused pid is never mistaken for it) and its directory, and
 * locked ({@code fcntl}) by the node process for as long as the child runs. The kernel drops the
 * lock when that process dies, however it dies: a record whose lock can be taken belongs to a
 * dead node, and {@link #reapLeftovers} kills what is left of its child's session before anything
 * starts again. A record locked by a live node (a daemon beside a {@code slapos node software})
 * is left alone.
 */
public final class ChildLedger {

    private static final String SUFFIX = ".child";

    private final Path dir;
    private final Map<Long, FileChannel> held = new ConcurrentHashMap<>();

    public ChildLedger(Path dir) {
        this.dir = dir;
    }

    /** Records a child just started; its record stays locked until {@link #ended}. */
    void started(long pid, Path directory, String what) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve(pid + SUFFIX);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            ch.lock();
            String record = pid + "\n" + pid + "\n" + ProcessTable.startTime(pid) + "\n" + directory + "\n"
                    + what.replace('\n', ' ') + "\n";
            ch.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        held.put(pid, ch);
    }

    /** The child has ended and its session was emptied: its record goes. */
    void ended(long pid) {
        FileChannel ch = held.remove(pid);
        try {
            Files.deleteIfExists(dir.resolve(pid + SUFFIX));
            if (ch != null) {
                ch.close(); // releases the lock
            }
        } catch (IOException e) {
            // a record left behind is reaped (found dead) by the next node
        }
    }

    /**
     * Kills every process left in the sessions of children recorded by a node that is gone, and
     * waits until they are gone; returns what was done, one line each.
     */
    public List<String> reapLeftovers(Consumer<String> log) {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return done;
        }
        List<Path> records;
        try (var s = Files.list(dir)) {
            records = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList();
        } catch (IOException e) {
            log.accept("cannot list " + dir + ": " + e.getMessage());
            return done;
        }
        for (Path record : records) {
            try (FileChannel ch = FileChannel.open(record, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException mine) {
                    continue; // this very process runs it
                }
                if (lock == null) {
                    continue; // a live node runs it
                }
                String[] f = Files.readString(record).split("\n");
                long pid = Long.parseLong(f[0].strip());
                long session = Long.parseLong(f[1].strip());
                String startTime = f[2].strip();
                String what = f.length > 4 ? f[4] : "?";
                List<Long> left = ProcessTable.inSession(session);
                boolean same = ProcessTable.isAlive(pid) ? startTime.equals(ProcessTable.startTime(pid)) : !left.isEmpty();
                if (same && !left.isEmpty()) {
                    for (int round = 0; round < 100 && !left.isEmpty(); round++) {
                        ProcessTable.kill(left);
                        left = ProcessTable.inSession(session);
                    }
                    String line = "killed what a previous node left running of '" + what + "' in " + (f.length > 3 ? f[3] : "?")
                            + " (pid " + pid + ")";
                    log.accept(line);
                    done.add(line);
                }
                Files.deleteIfExists(record);
            } catch (IOException | RuntimeException e) {
                log.accept("cannot reap " + record + ": " + e.getMessage());
            }
        }
        return done;
    }
}
