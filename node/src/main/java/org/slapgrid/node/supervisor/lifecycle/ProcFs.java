package org.slapgrid.node.supervisor.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process facts from Linux's /proc. ProcessHandle counts zombies as alive, and a killed
 * supervisord stays a zombie until its parent (often a container's init) reaps it, so liveness
 * is read from the state field instead.
 */
public final class ProcFs {
    private ProcFs() {
    }

    /** True when the process exists and is not a zombie. */
    public static boolean isAlive(long pid) {
        String[] f = statFields(pid);
        return f != null && !f[0].equals("Z") && !f[0].equals("X");
    }

    /** The session id of a process, or -1 when it is gone. */
    static long sessionOf(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[3]);
    }

    /** The fields of /proc/PID/stat after "pid (comm) ": state, ppid, pgrp, session, ... */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // the command name may hold spaces and parentheses: the fields start after the last ')'
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
