package org.slapgrid.node.supervisor.rpc;

/** supervisord's process states, with their codes from {@code supervisor/states.py}. */
public enum ProcessState {
    STOPPED(0), STARTING(10), RUNNING(20), BACKOFF(30), STOPPING(40), EXITED(100), FATAL(200), UNKNOWN(1000);

    private final int code;

    ProcessState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** supervisord's RUNNING_STATES: the process is up or being brought up. */
    public boolean isRunningState() {
        return this == RUNNING || this == STARTING || this == BACKOFF;
    }

    /** The process ended on its own (not stopped on request): EXITED or FATAL. */
    public boolean isEnded() {
        return this == EXITED || this == FATAL;
    }

    public static ProcessState ofCode(int code) {
        for (ProcessState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
