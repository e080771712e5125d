package org.slapgrid.master.autoscale;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ScalingPolicy;

/** The one owner of the cluster_policy table (V9__cluster_policy.sql): rows in, records out. */
final class PolicyRows {
    private PolicyRows() {
    }

    /** A stored policy (every field set) with its cluster and the time of its last action (null: none yet). */
    record Row(String clusterId, ScalingPolicy policy, Long lastActionAt) {
    }

    private static final String SELECT = "SELECT cluster_id, role, metric, aggregate, scale_out_above, scale_out_for,"
            + " scale_in_below, scale_in_for, step, cooldown, enabled, last_action_at FROM cluster_policy ";

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), new ScalingPolicy(rs.getString(2), rs.getString(3), rs.getString(4),
                nullableDouble(rs, 5), rs.getInt(6), nullableDouble(rs, 7), rs.getInt(8), rs.getInt(9), rs.getInt(10),
                rs.getBoolean(11)), nullableLong(rs, 12));
    }

    static List<Row> all(Connection c) throws SQLException {
        return Sql.list(c, SELECT + "ORDER BY cluster_id, role", PolicyRows::row);
    }

    static List<Row> of(Connection c, String clusterId) throws SQLException {
        return Sql.list(c, SELECT + "WHERE cluster_id = ? ORDER BY role", PolicyRows::row, clusterId);
    }

    static void put(Connection c, String clusterId, ScalingPolicy p) throws SQLException {
        Sql.update(c, "DELETE FROM cluster_policy WHERE cluster_id = ? AND role = ?", clusterId, p.role());
        Sql.update(c, "INSERT INTO cluster_policy (cluster_id, role, metric, aggregate, scale_out_above, scale_out_for,"
                + " scale_in_below, scale_in_for, step, cooldown, enabled, last_action_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", clusterId, p.role(), p.metric(), p.aggregate(),
                p.scaleOutAbove(), p.scaleOutFor(), p.scaleInBelow(), p.scaleInFor(), p.step(), p.cooldown(), p.enabled());
    }

    static boolean delete(Connection c, String clusterId, String role) throws SQLException {
        return Sql.update(c, "DELETE FROM cluster_policy WHERE cluster_id = ? AND role = ?", clusterId, role) > 0;
    }

    static void acted(Connection c, String clusterId, String role, long at) throws SQLException {
        Sql.update(c, "UPDATE cluster_policy SET last_action_at = ? WHERE cluster_id = ? AND role = ?", at, clusterId, role);
    }

    private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
