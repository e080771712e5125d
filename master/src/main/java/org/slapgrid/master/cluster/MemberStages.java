package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.MemberResources;

/**
 * The one owner of a member's scaling columns (V7): its vertical state ({@code resources}), its
 * creation time, and the step of a hooked action it is at. A member with a stage is what
 * {@link ScalingDriver} steps; every step is one transaction, so a master restart resumes it.
 */
final class MemberStages {
    private MemberStages() {
    }

    /** Where a hooked action on one member is. */
    enum Stage {
        /** vertical action: pre-scale hook running */
        PRE_SCALE,
        /** vertical action: new resources set, waiting for the member's node to apply them */
        APPLYING,
        /** vertical action: post-scale hook running */
        POST_SCALE,
        /** removal: pre-scale (vm_remove) hook running */
        REMOVE_PRE_SCALE,
        /** removal: notified, waiting for the lifecycle hook to be completed or to time out */
        WAITING_LIFECYCLE_COMPLETION,
        /** removal: may be destroyed */
        READY
    }

    /** A member's scaling columns. {@code pending} is the action's wish (JSON), {@code token} the lifecycle token. */
    record Row(String clusterId, String role, int index, String instanceId, boolean leaving, MemberResources resources,
               long createdAt, Stage stage, String job, long stageAt, long deadline, Map<String, Object> pending,
               String token) {
        String shortName() {
            return role + "." + index;
        }
    }

    private static final String SELECT = "SELECT cluster_id, role, idx, instance_id, leaving, resources, created_at, stage,"
            + " stage_job, stage_at, stage_deadline, pending, lifecycle_token FROM cluster_member ";

    private static Row row(java.sql.ResultSet rs) throws SQLException {
        String stage = rs.getString("stage");
        String pending = rs.getString("pending");
        return new Row(rs.getString("cluster_id"), rs.getString("role"), rs.getInt("idx"), rs.getString("instance_id"),
                rs.getBoolean("leaving"), resources(rs.getString("resources")), rs.getLong("created_at"),
                stage == null ? null : Stage.valueOf(stage), rs.getString("stage_job"), rs.getLong("stage_at"),
                rs.getLong("stage_deadline"), pending == null ? Map.of() : ClusterRows.map(pending),
                rs.getString("lifecycle_token"));
    }

    static MemberResources resources(String json) {
        if (json == null) {
            return MemberResources.NONE;
        }
        try {
            return ClusterRows.JSON.readValue(json, MemberResources.class);
        } catch (java.io.IOException e) {
            return MemberResources.NONE; // a damaged column reads as none rather than breaking every document
        }
    }

    static List<Row> of(Connection c, String clusterId) throws SQLException {
        return Sql.list(c, SELECT + "WHERE cluster_id = ? ORDER BY role, idx", MemberStages::row, clusterId);
    }

    static Optional<Row> one(Connection c, String clusterId, String role, int index) throws SQLException {
        return Sql.one(c, SELECT + "WHERE cluster_id = ? AND role = ? AND idx = ?", MemberStages::row, clusterId, role, index);
    }

    static Optional<Row> byToken(Connection c, String token) throws SQLException {
        return Sql.one(c, SELECT + "WHERE lifecycle_token = ?", MemberStages::row, token);
    }

    static Optional<Row> byInstance(Connection c, String instanceId) throws SQLException {
        return Sql.one(c, SELECT + "WHERE instance_id = ?", MemberStages::row, instanceId);
    }

    /** Every member at a stage, of every cluster (what the driver steps). */
    static List<Row> staged(Connection c) throws SQLException {
        return Sql.list(c, SELECT + "WHERE stage IS NOT NULL ORDER BY cluster_id, role, idx", MemberStages::row);
    }

    static void set(Connection c, Row m, Stage stage, String job, long deadline) throws SQLException {
        Sql.update(c, "UPDATE cluster_member SET stage = ?, stage_job = ?, stage_at = ?, stage_deadline = ?"
                + " WHERE cluster_id = ? AND role = ? AND idx = ?", stage == null ? null : stage.name(), job,
                System.currentTimeMillis(), deadline, m.clusterId(), m.role(), m.index());
    }

    static void setPending(Connection c, String clusterId, String role, int index, Map<String, Object> pending)
            throws SQLException {
        Sql.update(c, "UPDATE cluster_member SET pending = ? WHERE cluster_id = ? AND role = ? AND idx = ?",
                pending == null ? null : ClusterRows.json(pending), clusterId, role, index);
    }

    static void setResources(Connection c, Row m, MemberResources r) throws SQLException {
        Sql.update(c, "UPDATE cluster_member SET resources = ? WHERE cluster_id = ? AND role = ? AND idx = ?",
                r == null || r.isNone() ? null : ClusterRows.json(r), m.clusterId(), m.role(), m.index());
    }

    static void setToken(Connection c, Row m, String token) throws SQLException {
        Sql.update(c, "UPDATE cluster_member SET lifecycle_token = ? WHERE cluster_id = ? AND role = ? AND idx = ?",
                token, m.clusterId(), m.role(), m.index());
    }

    /** Ends whatever the member was at (an action done or undone). */
    static void clear(Connection c, Row m) throws SQLException {
        Sql.update(c, "UPDATE cluster_member SET stage = NULL, stage_job = NULL, stage_deadline = NULL, pending = NULL,"
                + " lifecycle_token = NULL WHERE cluster_id = ? AND role = ? AND idx = ?", m.clusterId(), m.role(), m.index());
    }

    static void created(Connection c, String clusterId, String role, int index) throws SQLException {
        Sql.update(c, "UPDATE cluster_member SET created_at = ? WHERE cluster_id = ? AND role = ? AND idx = ?",
                System.currentTimeMillis(), clusterId, role, index);
    }
}
