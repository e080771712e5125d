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
        return new Cluster(rs.getString("id"), rs.getString("owner"), rs.getString("name"), rs.getString("software_url"),
                ClusterTopology.parse(rs.getString("topology")), map(rs.getString("parameters")),
                rs.getString("primary_member"), ClusterTask.valueOf(rs.getString("task")), rs.getString("last_error"),
                rs.getObject("flex_min") == null ? 1 : rs.getInt("flex_min"),
                rs.getObject("flex_max") == null ? 0 : rs.getInt("flex_max"),
                rs.getObject("primary_lost_after_ms") == null ? DEFAULT_PRIMARY_LOST_AFTER_MS : rs.getLong("primary_lost_after_ms"));
    }

    static Optional<Cluster> byId(Connection c, String id) throws SQLException {
        return Sql.one(c, CLUSTER + "WHERE id = ?", ClusterRows::cluster, id);
    }

    static List<Cluster> where(Connection c, String where, Object... args) throws SQLException {
        return Sql.list(c, CLUSTER + where, ClusterRows::cluster, args);
    }

    static List<Role> roles(Connection c, String clusterId) throws SQLException {
        return Sql.list(c, "SELECT name, software_type, parameters, wanted, min_count, max_count, next_index"
                + " FROM cluster_role WHERE cluster_id = ? ORDER BY position", rs -> new Role(rs.getString("name"),
                rs.getString("software_type"), map(rs.getString("parameters")), rs.getInt("wanted"), rs.getInt("min_count"),
                rs.getInt("max_count"), rs.getInt("next_index")), clusterId);
    }

    /** Members by role then index; an instance already gone (destroyed and freed) has null node and states. */
    static List<Member> members(Connection c, String clusterId) throws SQLException {
        return Sql.list(c, "SELECT m.role, m.idx, m.instance_id, m.leaving, i.name, i.node_id, i.partition_id,"
                + " p.address, i.requested_state, i.reported_state, i.connection_params FROM cluster_member m"
                + " LEFT JOIN instance i ON i.id = m.instance_id"
                + " LEFT JOIN node_partition p ON p.node_id = i.node_id AND p.id = i.partition_id"
                + " WHERE m.cluster_id = ? ORDER BY m.role, m.idx",
                rs -> new Member(rs.getString("role"), rs.getInt("idx"), rs.getString("instance_id"), rs.getBoolean("leaving"),
                        rs.getString("name"), rs.getString("node_id"), rs.getString("partition_id"), rs.getString("address"),
                        rs.getString("requested_state"), rs.getString("reported_state"), map(rs.getString("connection_params"))),
                clusterId);
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
