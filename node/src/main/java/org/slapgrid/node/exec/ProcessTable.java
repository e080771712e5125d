package org.slapgrid.node.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * The live processes of this machine as Linux's {@code /proc} shows them: by session (what an
 * executable the node ran left behind) and by user (what a partition's user still runs).
 * Zombies are not live: they hold nothing, and they go when their parent reaps them.
 * Hand-written: ProcessHandle knows neither sessions nor uids, and counts zombies as alive.
 */
public final class ProcessTable {

    private ProcessTable() {
    }

    /** Live processes whose session id is {@code sessionId}. */
    public static List<Long> inSession(long sessionId) {
        return matching(pid -> {
            String[] f = statFields(pid);
            return f != null && live(f) && Long.parseLong(f[3]) == sessionId;
        });
    }

    /** True when the process exists and is not a zombie. */
    public static boolean isAlive(long pid) {
        String[] f = statFields(pid);
        return f != null && live(f);
    }

    /** The process's start time (clock ticks after boot, /proc/PID/stat): with the pid, it names one process. "" when gone. */
    public static String startTime(long pid) {
        String[] f = statFields(pid);
        return f == null || f.length < 20 ? "" : f[19];
    }

    /** Sends SIGKILL to each (a pid already gone is fine). */
    public static void kill(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static List<Long> matching(LongPredicate p) {
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(e -> e.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong)
                    .filter(pid -> pid != self && p.test(pid))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return out;
    }

    private static boolean live(String[] statFields) {
        return !statFields[0].equals("Z") && !statFields[0].equals("X");
    }

    /** The fields of /proc/PID/stat after "pid (comm) ": state, ppid, pgrp, session, ... */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // the command name may hold spaces and parentheses: the fields start after the last ')'
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }

    /** The four uids of the "Uid:" line of /proc/PID/status (real, effective, saved, filesystem). */
    private static String[] uidsOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+");
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return new String[0];
    }
}
