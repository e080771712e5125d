package org.slapgrid.node.supervisor.rpc;
import org.slapgrid.node.supervisor.SupervisorException;

/**
 * A fault answered by supervisord's XML-RPC interface, e.g. code 10 {@code BAD_NAME: slappart0_x}.
 * The codes are supervisord's {@code xmlrpc.Faults}; the common ones are constants here.
 */
public final class XmlRpcFault extends SupervisorException {
    private static final long serialVersionUID = 1L;

    public static final int BAD_NAME = 10;
    public static final int NO_FILE = 20;
    public static final int NOT_EXECUTABLE = 21;
    public static final int FAILED = 30;
    public static final int ABNORMAL_TERMINATION = 40;
    public static final int SPAWN_ERROR = 50;
    public static final int ALREADY_STARTED = 60;
    public static final int NOT_RUNNING = 70;
    public static final int ALREADY_ADDED = 90;
    public static final int STILL_RUNNING = 91;
    public static final int CANT_REREAD = 92;

    private final int faultCode;
    private final String faultString;

    public XmlRpcFault(String method, int faultCode, String faultString) {
        super("supervisord fault " + faultCode + " in " + method + ": " + faultString);
        this.faultCode = faultCode;
        this.faultString = faultString;
    }

    public int faultCode() {
        return faultCode;
    }

    public String faultString() {
        return faultString;
    }
}
