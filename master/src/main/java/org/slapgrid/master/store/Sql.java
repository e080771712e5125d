package org.slapgrid.master.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers: positional parameters, one row mapper, no framework. A mapper of four
 * columns or more reads them by label ({@code rs.getString("software_url")}; an {@code AS} where
 * two columns share a name or one is computed), so adding a column to a SELECT cannot shift the
 * others' reads; a query of one to three columns, its SELECT beside the reads, reads by position.
 *
 * <p>Why not Jdbi (issue 19): what it would add here is named parameters and reflective row
 * mapping. The mappers build immutable protocol records and some must answer a damaged row
 * rather than fail ({@code InstanceRows.map}), so they would stay hand-written {@code RowMapper}s;
 * transactions are {@link Database#transaction}'s (one connection passed down, no handles);
 * labels already give each read its column's name. Jdbi would cost jdbi3-core and its
 * dependencies on the master's class path, their loading at start-up, and a second way to run
 * SQL beside ~290 existing calls, for statements whose {@code ?}s are few and read in order.
 */
public final class Sql {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
        }
    }

    /** "?, ?, ?" for an IN list of {@code n} values. */
    public static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Boolean b) {
                    ps.setBoolean(i + 1, b);
                } else if (a == null) {
                    ps.setNull(i + 1, java.sql.Types.NULL);
                } else {
                    ps.setObject(i + 1, a);
                }
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }
}
