package org.slapgrid.master.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slapgrid.master.service.Schedule;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.MetricSeries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The samples of every master on one PostgreSQL, in table {@code metric_sample} (V13), so that a
 * sample posted to master A counts for master B's autoscaler and {@code slapos cluster metrics}
 * (docs/scaling.md: several masters, one database). Ingest stays an in-memory append: samples
 * are queued and written every {@link #FLUSH_MS} in batches of at most {@link #BATCH} rows (one
 * transaction, one JDBC batch); a full queue drops (and counts) rather than slowing the nodes.
 * Kept {@link #RETENTION_MS} (the 10 s ring's hour, all the autoscaler and the finest view need);
 * older rows and those of gone instances are deleted by {@link #prune}.
 */
final class SharedSamples implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSamples.class);
    static final long RETENTION_MS = 3600_000;
    static final int BATCH = 5000;
    static final long FLUSH_MS = 250;
    static final int QUEUE = 200_000;

    private record Row(String instanceId, String metric, long at, double value) {
    }

    /** The last sample of a series: when and what. */
    record Last(long at, double value) {
    }

    private final Database db;
    private final BlockingQueue<Row> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    SharedSamples(Database db) {
        this.db = db;
    }

    /** Writes the queue every {@link #FLUSH_MS}, a duty of the master's schedule. */
    void start(Schedule schedule) {
        schedule.every("metric sample writer", java.time.Duration.ofMillis(FLUSH_MS), this::flush);
    }

    /** Queues a sample for the next batch (older than the retention: not written, it would go at once). */
    void offer(String instanceId, String metric, long at, double value) {
        if (at < System.currentTimeMillis() - RETENTION_MS) {
            return;
        }
        if (!queue.offer(new Row(instanceId, metric, at, value))) {
            dropped.incrementAndGet();
        }
    }

    /** Writes what is queued now, in batches. */
    synchronized void flush() {
        List<Row> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
        while (queue.drainTo(batch, BATCH) > 0) {
            List<Row> rows = batch;
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO metric_sample (instance_id, metric, at, value) VALUES (?, ?, ?, ?)")) {
                    for (Row r : rows) {
                        ps.setString(1, r.instanceId());
                        ps.setString(2, r.metric());
                        ps.setLong(3, r.at());
                        ps.setDouble(4, r.value());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
            written.addAndGet(rows.size());
            batch = new ArrayList<>(Math.min(BATCH, queue.size()));
        }
    }

    /** The last sample of an instance's metric taken at or after {@code notBefore}, any master's. */
    Optional<Last> last(String instanceId, String metric, long notBefore) {
        return db.read(c -> Sql.one(c, "SELECT at, value FROM metric_sample WHERE instance_id = ? AND metric = ? AND at >= ?"
                + " ORDER BY at DESC LIMIT 1", rs -> new Last(rs.getLong(1), rs.getDouble(2)), instanceId, metric, notBefore));
    }

    /** An instance's series at 10 s resolution since {@code from}: per metric, its last sample and its buckets. */
    Map<String, SeriesData> series(String instanceId, long from, int widthSeconds) {
        long width = widthSeconds * 1000L;
        long start = from / width * width;
        Map<String, SeriesData> out = new TreeMap<>();
        db.read(c -> {
            // the width inline (a number of ours): PostgreSQL does not see two parameters as one GROUP BY expression
            String bucket = "at / " + width;
            Sql.list(c, "SELECT metric, " + bucket + " AS b, AVG(value) AS average, MAX(value) AS peak, COUNT(*) AS n FROM metric_sample"
                    + " WHERE instance_id = ? AND at >= ? GROUP BY metric, " + bucket + " ORDER BY metric, b", rs -> {
                        out.computeIfAbsent(rs.getString("metric"), k -> new SeriesData()).points.add(new MetricSeries.Point(
                                rs.getLong("b") * width, rs.getDouble("average"), rs.getDouble("peak"), rs.getInt("n")));
                        return null;
                    }, instanceId, start);
            Sql.list(c, "SELECT s.metric, s.at, s.value FROM metric_sample s WHERE s.instance_id = ? AND s.at ="
                    + " (SELECT MAX(t.at) FROM metric_sample t WHERE t.instance_id = s.instance_id AND t.metric = s.metric)", rs -> {
                        SeriesData d = out.computeIfAbsent(rs.getString("metric"), k -> new SeriesData());
                        d.lastAt = rs.getLong("at");
                        d.last = rs.getDouble("value");
                        return null;
                    }, instanceId);
            return null;
        });
        return out;
    }

    /** One series as read from the table. */
    static final class SeriesData {
        final List<MetricSeries.Point> points = new ArrayList<>();
        long lastAt = -1;
        double last;
    }

    /** Deletes what is older than the retention and the samples of instances no partition hosts. */
    void prune() {
        long cut = System.currentTimeMillis() - RETENTION_MS;
        db.transaction(c -> {
            Sql.update(c, "DELETE FROM metric_sample WHERE at < ?", cut);
            Sql.update(c, "DELETE FROM metric_sample WHERE instance_id NOT IN"
                    + " (SELECT instance_id FROM node_partition WHERE instance_id IS NOT NULL)");
            return null;
        });
    }

    long dropped() {
        return dropped.get();
    }

    long written() {
        return written.get();
    }

    /** The last write, after the master's schedule stopped: what was queued is not lost with a clean stop. */
    @Override
    public void close() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("metric samples queued at close not written: {}", e.toString());
        }
    }
}
