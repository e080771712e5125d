package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Where the topology's automatic actions (a primary hand-off, a switch) are recorded, in the
 * transaction that makes them: the cluster's events (docs/clusters.md).
 */
@FunctionalInterface
public interface ClusterEventLog {
    void append(Connection c, String clusterId, String kind, String message, Map<String, Object> details) throws SQLException;
}
