package org.slapgrid.master.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;

/** The one owner of the cluster tables (V5__clusters.sql): rows in, records out. */
final class ClusterRows {
    static final ObjectMapper JSON = Json.lenient();

    private ClusterRows() {
    }

    /**
     * A cluster row. {@code flexMin} (1 when not set), {@code flexMax} (0: no bound),
     * {@code primaryLostAfterMs} (how long the primary's node may be silent; 60 s when not set).
     */
    record Cluster(String id, String owner, String name, String softwareUrl, ClusterTopology topology,
                   Map<String, Object> parameters, String primary, ClusterTask task, String lastError,
                   int flexMin, int flexMax, long primaryLostAfterMs) {
    }

    static final long DEFAULT_PRIMARY_LOST_AFTER_MS = 60_000;

    record Role(String name, String softwareType, Map<String, Object> parameters, int wanted, int min, int max,
                int nextIndex) {
    }

    /** A member row with what its instance says (node, partition, states, connection parameters). */
    record Member(String role, int index, String instanceId, boolean leaving, String instanceName, String node,
                  String partition, String address, String requestedState, String reportedState, Map<String, Object> connection) {
        String shortName() {
            return role + "." + index;
        }
    }

    private static final String CLUSTER = "SELECT id, owner, name, software_url, topology, parameters, primary_member,"
            + " task, last_error, flex_min, flex_max, primary_lost_after_ms FROM cluster ";

    private static Cluster cluster(java.sql.ResultSet rs) throws SQLException {
        return new Cluster(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                ClusterTopology.parse(rs.getString(5)), map(rs.getString(6)), rs.getString(7),
                ClusterTask.valueOf(rs.getString(8)), rs.getString(9),
                rs.getObject(10) == null ? 1 : rs.getInt(10), rs.getObject(11) == null ? 0 : rs.getInt(11),
                rs.getObject(12) == null ? DEFAULT_PRIMARY_LOST_AFTER_MS : rs.getLong(12));
    }

    static Optional<Cluster> byId(Connection c, String id) throws SQLException {
        return Sql.one(c, CLUSTER + "WHERE id = ?", ClusterRows::cluster, id);
    }

    static List<Cluster> where(Connection c, String where, Object... args) throws SQLException {
        return Sql.list(c, CLUSTER + where, ClusterRows::cluster, args);
    }

    static List<Role> roles(Connection c, String clusterId) throws SQLException {
        return Sql.list(c, "SELECT name, software_type, parameters, wanted, min_count, max_count, next_index"
                + " FROM cluster_role WHERE cluster_id = ? ORDER BY position", rs -> new Role(rs.getString(1),
                rs.getString(2), map(rs.getString(3)), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)), clusterId);
    }

    /** Members by role then index; an instance already gone (destroyed and freed) has null node and states. */
    static List<Member> members(Connection c, String clusterId) throws SQLException {
        return Sql.list(c, "SELECT m.role, m.idx, m.instance_id, m.leaving, i.name, i.node_id, i.partition_id,"
                + " p.address, i.requested_state, i.reported_state, i.connection_params FROM cluster_member m"
                + " LEFT JOIN instance i ON i.id = m.instance_id"
                + " LEFT JOIN node_partition p ON p.node_id = i.node_id AND p.id = i.partition_id"
                + " WHERE m.cluster_id = ? ORDER BY m.role, m.idx",
                rs -> new Member(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        map(rs.getString(11))), clusterId);
    }

    static void setTask(Connection c, String clusterId, ClusterTask task) throws SQLException {
        Sql.update(c, "UPDATE cluster SET task = ?, task_at = ? WHERE id = ?", task.name(), System.currentTimeMillis(), clusterId);
    }

    /** Sets {@code task} only if the cluster is idle: false when another operation holds it (two masters race safely). */
    static boolean claim(Connection c, String clusterId, ClusterTask task) throws SQLException {
        return Sql.update(c, "UPDATE cluster SET task = ?, task_at = ?, last_error = NULL WHERE id = ? AND task = ?",
                task.name(), System.currentTimeMillis(), clusterId, ClusterTask.NONE.name()) == 1;
    }

    static void delete(Connection c, String clusterId) throws SQLException {
        ClusterEvents.deleteAll(c, clusterId);
        Sql.update(c, "DELETE FROM cluster_operation WHERE cluster_id = ?", clusterId);
        Sql.update(c, "DELETE FROM cluster_member WHERE cluster_id = ?", clusterId);
        Sql.update(c, "DELETE FROM cluster_policy WHERE cluster_id = ?", clusterId);
        Sql.update(c, "DELETE FROM cluster_role WHERE cluster_id = ?", clusterId);
        Sql.update(c, "DELETE FROM cluster WHERE id = ?", clusterId);
    }

    static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of(); // a damaged column reads as no parameters rather than breaking every document
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode JSON: " + e.getOriginalMessage(), e);
        }
    }
}
