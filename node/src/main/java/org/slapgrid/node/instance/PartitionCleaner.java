package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.UserProcesses;
import org.slapgrid.node.exec.RunAs;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * Ends everything a destroyed instance's user left on the machine, so that the next instance
 * given the same partition (and so the same Unix user) inherits nothing: its processes (also
 * those that left supervisord's process group or double-forked), its cron and at jobs (where
 * those tools are installed), its SysV IPC objects, and its files in the shared temporary
 * directories. Then it checks that nothing is left; {@link #leftovers} says what is, and the
 * node then keeps the partition busy (reports an error) rather than hand it on.
 *
 * <p>Only in multi-user mode: in single-user mode every partition is the node's own user.
 */
final class PartitionCleaner {

    /** Where any user can leave files; POSIX message queues when mounted. */
    static final List<Path> SHARED_TEMP = List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"),
            Path.of("/dev/mqueue"));
    /** SysV IPC as /proc lists them, with the ipcrm option that removes one by id. */
    private static final Map<String, String> IPC = Map.of("shm", "-m", "sem", "-s", "msg", "-q");
    private static final int REPORTED = 10;

    private final PartitionExecutor executor;
    /** The node's own trees (a node may live under /tmp, as tests do): never searched for leftovers. */
    private final List<Path> nodeTrees;

    PartitionCleaner(PartitionExecutor executor, List<Path> nodeTrees) {
        this.executor = executor;
        this.nodeTrees = List.copyOf(nodeTrees);
    }

    /** Every process of the user, also those that left every process group (see {@link UserProcesses}). */
    void killProcesses(String user) throws IOException {
        UserProcesses.endAll(user, executor);
    }

    /** Its cron and at jobs: first, so that none starts a process while the others are killed. */
    void removeJobs(String user) throws IOException {
        if (onPath("crontab")) {
            root("crontab", "-r", "-u", user); // exit 1 when there is none: fine
        }
        List<String> atJobs = atJobsOf(user);
        if (!atJobs.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("atrm"));
            rm.addAll(atJobs);
            root(rm.toArray(String[]::new));
        }
    }

    /** Its SysV IPC objects and its files in the shared temporary directories, once its processes are gone. */
    void removeIpcAndTempFiles(String user, int uid, RunAs who) throws IOException {
        for (var kind : IPC.entrySet()) {
            for (String id : ipcOf(kind.getKey(), uid)) {
                root("ipcrm", kind.getValue(), id);
            }
        }
        List<String> dirs = existingTempDirs();
        if (!dirs.isEmpty()) {
            // As the user first: root never works by path in a tree another user can change.
            List<String> find = tempFind(dirs, "-uid", Integer.toString(uid), "-delete");
            executor.run(find, who, Map.of(), Duration.ofMinutes(2)); // partial success is checked below
            if (!tempFilesOf(uid).isEmpty()) {
                // What the user could not remove itself (its file in a directory it cannot write).
                // Its processes are gone, so no one can swap these paths; find -P follows no link
                // and deletes relative to the directory it walks.
                root(find.toArray(String[]::new));
            }
        }
    }

    /** What {@code uid} still has on the machine, one line per kind (empty: clean). */
    List<String> leftovers(String user, int uid) throws IOException {
        List<String> out = new ArrayList<>();
        List<Long> procs = UserProcesses.alive(uid);
        if (!procs.isEmpty()) {
            out.add("processes " + procs.stream().limit(REPORTED).toList());
        }
        if (onPath("crontab") && root("crontab", "-l", "-u", user).getExitValue() == 0) {
            out.add("a crontab");
        }
        List<String> at = atJobsOf(user);
        if (!at.isEmpty()) {
            out.add("at jobs " + at);
        }
        for (String kind : IPC.keySet()) {
            List<String> ids = ipcOf(kind, uid);
            if (!ids.isEmpty()) {
                out.add("SysV " + kind + " " + ids);
            }
        }
        List<String> files = tempFilesOf(uid);
        if (!files.isEmpty()) {
            out.add("files " + files.stream().limit(REPORTED).toList() + (files.size() > REPORTED ? "..." : ""));
        }
        return out;
    }

    private List<String> tempFilesOf(int uid) throws IOException {
        List<String> dirs = existingTempDirs();
        if (dirs.isEmpty()) {
            return List.of();
        }
        List<String> find = tempFind(dirs, "-uid", Integer.toString(uid), "-print");
        String out = root(find.toArray(String[]::new)).outputUTF8();
        return out.lines().filter(l -> !l.isBlank() && !l.startsWith("find: ")).toList();
    }

    /**
     * {@code find DIRS -xdev -mindepth 1 [not in the node's trees] TEST...}: find -P (the default)
     * follows no link, and -xdev stays on each directory's own file system.
     */
    private List<String> tempFind(List<String> dirs, String... test) {
        List<String> find = new ArrayList<>(List.of("find"));
        find.addAll(dirs);
        find.addAll(List.of("-xdev", "-mindepth", "1"));
        for (Path tree : nodeTrees) {
            String glob = tree.toAbsolutePath().normalize().toString().replaceAll("([\\\\*?\\[])", "\\\\$1");
            find.addAll(List.of("-not", "-path", glob, "-not", "-path", glob + "/*"));
        }
        find.addAll(Arrays.asList(test));
        return find;
    }

    private static List<String> existingTempDirs() {
        return SHARED_TEMP.stream().filter(Files::isDirectory).map(Path::toString).toList();
    }

    /** The ids of the SysV IPC objects of {@code kind} that {@code uid} owns or created. */
    static List<String> ipcOf(String kind, int uid) throws IOException {
        Path table = Path.of("/proc/sysvipc", kind);
        if (!Files.isReadable(table)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(table);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = Arrays.asList(lines.get(0).strip().split("\\s+"));
        int idColumn = 1; // key, then shmid/semid/msqid
        int owner = header.indexOf("uid");
        int creator = header.indexOf("cuid");
        String id = Integer.toString(uid);
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.strip().split("\\s+");
            if (f.length > Math.max(owner, creator) && (f[owner].equals(id) || f[creator].equals(id))) {
                out.add(f[idColumn]);
            }
        }
        return out;
    }

    /** The user's at jobs: `atq` as root lists every user's, the owner last. */
    private static List<String> atJobsOf(String user) throws IOException {
        if (!onPath("atq")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : root("atq").outputUTF8().lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[f.length - 1].equals(user)) {
                out.add(f[0]);
            }
        }
        return out;
    }

    private static boolean onPath(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/bin", tool));
    }

    private static ProcessResult root(String... command) throws IOException {
        try {
            return new ProcessExecutor().command(command).readOutput(true).redirectErrorStream(true)
                    .timeout(2, TimeUnit.MINUTES).execute();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(command[0] + " took more than 2 minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
    }
}
