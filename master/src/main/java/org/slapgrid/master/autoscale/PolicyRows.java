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
        return new Row(rs.getString("cluster_id"), new ScalingPolicy(rs.getString("role"), rs.getString("metric"),
                rs.getString("aggregate"), nullableDouble(rs, "scale_out_above"), rs.getInt("scale_out_for"),
                nullableDouble(rs, "scale_in_below"), rs.getInt("scale_in_for"), rs.getInt("step"), rs.getInt("cooldown"),
                rs.getBoolean("enabled")), nullableLong(rs, "last_action_at"));
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

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
