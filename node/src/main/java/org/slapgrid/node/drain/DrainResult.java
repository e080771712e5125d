package org.slapgrid.node.drain;

import java.util.List;

import org.slapgrid.node.exec.ExecResult;

/**
 * What the prerm scripts of a partition did before it was removed: each script's result, and
 * whether the drain ran out of time (the removal then goes ahead anyway, and says so).
 */
public record DrainResult(List<Script> scripts, boolean timedOut) {

    public record Script(String name, ExecResult result) {
    }

    public boolean clean() {
        return !timedOut && scripts.stream().allMatch(s -> s.result().succeeded());
    }

    /** A report line per script, for the log and the master. */
    public List<String> describe() {
        return scripts.stream().map(s -> "prerm " + s.name() + ": " + s.result().summary()).toList();
    }
}
