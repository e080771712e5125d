package org.slapgrid.node.supervisor.rpc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slapgrid.node.supervisor.SupervisorException;

/**
 * Typed client for supervisord's XML-RPC interface over its UNIX socket ({@code POST /RPC2}).
 * Faults become {@link XmlRpcFault}; an unreachable socket becomes {@link SupervisorUnreachable}.
 * Process names are supervisord name specs ({@code group:name}, or {@code name} when they match).
 * Thread-safe: every call opens its own connection, as supervisorctl does.
 */
public final class SupervisorClient {
    private final UnixSocketHttp http;

    public SupervisorClient(Path socket, Duration callTimeout) {
        this.http = new UnixSocketHttp(socket, callTimeout);
    }

    public Path socket() {
        return http.socket();
    }

    /** Raw call; the result is decoded as described in {@link XmlRpcCodec}. */
    public Object call(String method, Object... params) {
        byte[] response;
        try {
            response = http.post("/RPC2", "text/xml", XmlRpcCodec.encodeCall(method, params));
        } catch (IOException e) {
            throw new SupervisorUnreachable("supervisord at " + http.socket() + " (" + method + "): "
                    + e.getMessage(), e);
        }
        return XmlRpcCodec.decodeResponse(method, response);
    }

    /** True when supervisord answers getState with RUNNING. Never throws. */
    public boolean isRunning() {
        try {
            return "RUNNING".equals(getState().name());
        } catch (SupervisorException e) {
            return false;
        }
    }

    /** supervisord's own state: RUNNING (1), RESTARTING (0), SHUTDOWN (-1), FATAL (2). */
    public DaemonState getState() {
        Map<?, ?> m = (Map<?, ?>) call("supervisor.getState");
        return new DaemonState(((Number) m.get("statecode")).intValue(), String.valueOf(m.get("statename")));
    }

    public record DaemonState(int code, String name) {
    }

    public int getPID() {
        return ((Number) call("supervisor.getPID")).intValue();
    }

    public List<ProcessInfo> getAllProcessInfo() {
        List<ProcessInfo> infos = new ArrayList<>();
        for (Object o : (List<?>) call("supervisor.getAllProcessInfo")) {
            infos.add(ProcessInfo.from((Map<?, ?>) o));
        }
        return infos;
    }

    public ProcessInfo getProcessInfo(String name) {
        return ProcessInfo.from((Map<?, ?>) call("supervisor.getProcessInfo", name));
    }

    /** Starts a process; with {@code wait} it returns once the process is RUNNING (startsecs). */
    public boolean startProcess(String name, boolean wait) {
        return Boolean.TRUE.equals(call("supervisor.startProcess", name, wait));
    }

    /** Stops a process; with {@code wait} it returns once it stopped (up to stopwaitsecs, then SIGKILL). */
    public boolean stopProcess(String name, boolean wait) {
        return Boolean.TRUE.equals(call("supervisor.stopProcess", name, wait));
    }

    public boolean signalProcess(String name, String signal) {
        return Boolean.TRUE.equals(call("supervisor.signalProcess", name, signal));
    }

    /** Re-reads the configuration files; returns the group names that were added, changed, removed. */
    public ConfigDiff reloadConfig() {
        List<?> outer = (List<?>) call("supervisor.reloadConfig");
        List<?> triple = (List<?>) outer.get(0);
        return new ConfigDiff(names(triple.get(0)), names(triple.get(1)), names(triple.get(2)));
    }

    public boolean addProcessGroup(String name) {
        return Boolean.TRUE.equals(call("supervisor.addProcessGroup", name));
    }

    public boolean removeProcessGroup(String name) {
        return Boolean.TRUE.equals(call("supervisor.removeProcessGroup", name));
    }

    public String readProcessStdoutLog(String name, int offset, int length) {
        return (String) call("supervisor.readProcessStdoutLog", name, offset, length);
    }

    /** The last {@code length} bytes of a process's stdout log (empty when it has none). */
    public String tailProcessStdoutLog(String name, int length) {
        List<?> r = (List<?>) call("supervisor.tailProcessStdoutLog", name, 0, length);
        return r.isEmpty() ? "" : String.valueOf(r.get(0));
    }

    /** Asks supervisord to stop all its processes and exit. */
    public boolean shutdown() {
        return Boolean.TRUE.equals(call("supervisor.shutdown"));
    }

    private static List<String> names(Object o) {
        List<String> out = new ArrayList<>();
        for (Object n : (List<?>) o) {
            out.add(String.valueOf(n));
        }
        return out;
    }

    /** What reloadConfig found: group names, sorted as supervisord returns them. */
    public record ConfigDiff(List<String> added, List<String> changed, List<String> removed) {
        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }
}
