package org.slapgrid.master.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;

/** Reading instance rows into protocol records, and the JSON columns. */
final class InstanceRows {
    static final ObjectMapper JSON = Json.lenient();

    /** Every instance column plus the root's name; append a WHERE on alias {@code i}. */
    static final String SELECT = "SELECT i.id, i.requester, i.name, i.owner, i.root_id, r.name, i.parent_id,"
            + " i.software_url, i.software_type, i.parameters, i.requested_state, i.shared, i.node_filter,"
            + " i.node_id, i.partition_id, i.host_id, i.reported_state, i.connection_params, i.error_log, i.ts, i.reported_ts"
            + " FROM instance i LEFT JOIN instance r ON r.id = i.root_id ";

    private InstanceRows() {
    }

    static Instance map(ResultSet rs) throws SQLException {
        String reported = rs.getString(17);
        return new Instance(rs.getString(1), rs.getString(3), rs.getString(2), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), objectMap(rs.getString(10)),
                RequestedState.parse(rs.getString(11)), rs.getBoolean(12), stringMap(rs.getString(13)),
                rs.getString(14), rs.getString(15), rs.getString(16),
                reported == null ? null : InstanceState.parse(reported),
                objectMap(rs.getString(18)), rs.getString(19), rs.getLong(20),
                rs.getObject(21) == null ? null : rs.getLong(21));
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

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
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
