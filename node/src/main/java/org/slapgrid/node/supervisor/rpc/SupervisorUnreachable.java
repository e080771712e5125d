package org.slapgrid.node.supervisor.rpc;
import org.slapgrid.node.supervisor.SupervisorException;

/** supervisord's socket does not answer (not running, dead, or hung past the call timeout). */
public final class SupervisorUnreachable extends SupervisorException {
    private static final long serialVersionUID = 1L;

    public SupervisorUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
