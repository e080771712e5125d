package org.slapgrid.node.supervisor.rpc;

import java.util.Map;

/**
 * One entry of supervisord's getProcessInfo/getAllProcessInfo. Times are epoch seconds as
 * supervisord gives them; {@code exitStatus} is -1 when the process was killed by a signal and 0
 * after a spawn failure (then {@code spawnError} says why).
 */
public record ProcessInfo(String name, String group, ProcessState state, int pid, long start, long stop,
                          long now, int exitStatus, String spawnError, String stdoutLogfile,
                          String description) {

    /** The name spec supervisord accepts for this process: {@code group:name}. */
    public String spec() {
        return group + ":" + name;
    }

    static ProcessInfo from(Map<?, ?> m) {
        return new ProcessInfo(
                str(m.get("name")), str(m.get("group")),
                ProcessState.ofCode(num(m.get("state"))),
                num(m.get("pid")), lng(m.get("start")), lng(m.get("stop")), lng(m.get("now")),
                num(m.get("exitstatus")), str(m.get("spawnerr")), str(m.get("stdout_logfile")),
                str(m.get("description")));
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static int num(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static long lng(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
