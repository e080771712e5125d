package org.slapgrid.node.supervisor;

import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slapgrid.node.supervisor.rpc.XmlRpcFault;

/**
 * The calls a change makes per program (each program is its own process group), tolerating
 * the faults that only say the program is already as wanted: not running, already added, gone.
 */
final class ProgramGroups {
    private final SupervisorClient client;

    ProgramGroups(SupervisorClient client) {
        this.client = client;
    }

    void stopQuietly(String program) {
        try {
            client.stopProcess(program + ":" + program, true);
        } catch (XmlRpcFault f) {
            if (f.faultCode() != XmlRpcFault.NOT_RUNNING && f.faultCode() != XmlRpcFault.BAD_NAME) {
                throw f;
            }
        }
    }

    /** removeProcessGroup fails with STILL_RUNNING while a stop is in progress: retry briefly. */
    void remove(String program) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.removeProcessGroup(program);
                return;
            } catch (XmlRpcFault f) {
                if (f.faultCode() == XmlRpcFault.BAD_NAME) {
                    return;
                }
                if (f.faultCode() != XmlRpcFault.STILL_RUNNING || attempt >= 20) {
                    throw f;
                }
                stopQuietly(program);
                Sleeps.sleep(100);
            }
        }
    }

    void add(String program) {
        try {
            client.addProcessGroup(program);
        } catch (XmlRpcFault f) {
            if (f.faultCode() != XmlRpcFault.ALREADY_ADDED) {
                throw f;
            }
        }
    }
}
