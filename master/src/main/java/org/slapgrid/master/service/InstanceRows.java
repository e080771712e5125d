package org.slapgrid.master.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading instance rows into protocol records, and the JSON columns. */
final class InstanceRows {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRows.class);
    static final ObjectMapper JSON = Json.lenient();

    /**
     * Every instance column plus the root's name; append a WHERE on alias {@code i}. {@link #map}
     * reads each column by its label (the column's own name, the root's as {@code root_name}: two
     * columns called {@code name} would both answer to it), so the list's order is free.
     */
    static final String SELECT = "SELECT i.id, i.requester, i.name, i.owner, i.root_id, r.name AS root_name, i.parent_id,"
            + " i.software_url, i.software_type, i.parameters, i.requested_state, i.shared, i.node_filter,"
            + " i.node_id, i.partition_id, i.host_id, i.reported_state, i.connection_params, i.error_log, i.ts, i.reported_ts,"
            + " i.tag_rules FROM instance i LEFT JOIN instance r ON r.id = i.root_id ";

    private InstanceRows() {
    }

    /**
     * Deeper than this, a stored map is treated as damaged: the node document that carries it
     * (a few levels more) must stay well within Jackson's nesting limit of 1000. New maps are
     * bounded far lower ({@link Limits#maxDepth()}); this guards rows stored before that bound.
     */
    static final int READABLE_DEPTH = 200;

    /**
     * One row as an instance. A row the master cannot read whole (a JSON column that does not
     * parse or nests too deep, an unknown state) is still answered, so one bad row never breaks a
     * list or a node's document: the unreadable part is empty (a state: stopped, error) and the
     * {@code errorLog} says what was wrong. The row itself is kept (and can be removed).
     */
    static Instance map(ResultSet rs) throws SQLException {
        List<String> damage = new ArrayList<>();
        String id = rs.getString("id");
        Map<String, Object> parameters = readMap("parameters", rs.getString("parameters"), damage);
        Map<String, Object> connection = readMap("connection parameters", rs.getString("connection_params"), damage);
        Map<String, String> filter;
        try {
            filter = stringMap(rs.getString("node_filter"));
        } catch (RuntimeException e) {
            damage.add("filter (" + e.getMessage() + ")");
            filter = Map.of();
        }
        RequestedState requested;
        try {
            requested = RequestedState.parse(rs.getString("requested_state"));
        } catch (RuntimeException e) {
            damage.add("requested state (" + e.getMessage() + ")");
            requested = RequestedState.STOPPED;
        }
        String reported = rs.getString("reported_state");
        InstanceState reportedState;
        try {
            reportedState = reported == null ? null : InstanceState.parse(reported);
        } catch (RuntimeException e) {
            damage.add("reported state (" + e.getMessage() + ")");
            reportedState = InstanceState.ERROR;
        }
        List<org.slapgrid.slap.tags.TagRule> tagRules = tagRules(rs.getString("tag_rules"), damage);
        String errorLog = rs.getString("error_log");
        if (!damage.isEmpty()) {
            LOG.error("instance {}: stored {} unreadable; answered without them", id, String.join(", ", damage));
            errorLog = "the master cannot read this instance's stored " + String.join(", ", damage)
                    + (errorLog == null ? "" : "\n" + errorLog);
        }
        return new Instance(id, rs.getString("name"), rs.getString("requester"), rs.getString("owner"),
                rs.getString("root_id"), rs.getString("root_name"), rs.getString("parent_id"),
                rs.getString("software_url"), rs.getString("software_type"), parameters,
                requested, rs.getBoolean("shared"), filter,
                rs.getString("node_id"), rs.getString("partition_id"), rs.getString("host_id"),
                reportedState, connection, errorLog, rs.getLong("ts"),
                rs.getObject("reported_ts") == null ? null : rs.getLong("reported_ts"), null, tagRules);
    }

    /** The stops and starts by tag (a JSON list; null: none); a damaged column reads as none. */
    private static List<org.slapgrid.slap.tags.TagRule> tagRules(String json, List<String> damage) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<org.slapgrid.slap.tags.TagRule>>() { });
        } catch (JsonProcessingException | RuntimeException e) {
            damage.add("stops by tag (" + Validate.clip(String.valueOf(e.getMessage())) + ")");
            return List.of();
        }
    }

    private static Map<String, Object> readMap(String what, String json, List<String> damage) {
        try {
            Map<String, Object> m = objectMap(json);
            if (ParameterCheck.depth(m, READABLE_DEPTH + 1) > READABLE_DEPTH) {
                damage.add(what + " (nested more than " + READABLE_DEPTH + " levels)");
                return Map.of();
            }
            return m;
        } catch (RuntimeException e) {
            damage.add(what + " (" + Validate.clip(String.valueOf(e.getMessage())) + ")");
            return Map.of();
        }
    }

    static Optional<Instance> byId(Connection c, String id) throws SQLException {
        return Sql.one(c, SELECT + "WHERE i.id = ?", InstanceRows::map, id);
    }

    static Optional<Instance> byRequester(Connection c, String requester, String name) throws SQLException {
        return Sql.one(c, SELECT + "WHERE i.requester = ? AND i.name = ?", InstanceRows::map, requester, name);
    }

    static List<Instance> where(Connection c, String where, Object... args) throws SQLException {
        return Sql.list(c, SELECT + where, InstanceRows::map, args);
    }

    static Map<String, Object> objectMap(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> stringMap(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    static org.slapgrid.slap.model.PartitionStatus status(String json) {
        try {
            return JSON.readValue(json, org.slapgrid.slap.model.PartitionStatus.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A list as a JSON column (the stops and starts by tag). */
    static String jsonList(List<?> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A strictly increasing microsecond timestamp: now, or one more than the previous value. */
    static long nextTimestamp(long previous) {
        long now = System.currentTimeMillis() * 1000L;
        return Math.max(now, previous + 1);
    }
}
