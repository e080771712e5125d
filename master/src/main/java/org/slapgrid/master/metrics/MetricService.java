package org.slapgrid.master.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.cluster.ClusterLookup;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.master.service.Schedule;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.MetricAnswer;
import org.slapgrid.slap.model.MetricBatch;
import org.slapgrid.slap.model.MetricSeries;

/**
 * Metrics in and out (docs/clusters.md "Metrics"): a node sends batches of its partitions'
 * samples, each kept on the instance its partition hosts now (a sample of a free partition, of
 * another node's partition, or outside the accepted time is dropped and counted); users read the
 * series of their instances and of their clusters' members; the autoscaler reads members' last
 * samples.
 */
public final class MetricService implements AutoCloseable {

    /** A metric's name: what {@code etc/metric/<name>} may be called. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    /** Samples from further in the future than this (a node's clock ahead) are dropped. */
    static final long FUTURE_MS = 60_000;
    /** Samples older than the coarsest ring's span are dropped. */
    static final long PAST_MS = 7L * 24 * 3600 * 1000;

    private final Database db;
    private final InstanceService instances;
    private final MetricStore store;
    /** On PostgreSQL, the samples every master sees (null on SQLite: one master, memory only). */
    private final SharedSamples shared;

    public MetricService(Database db, InstanceService instances, MetricStore store) {
        this.db = db;
        this.instances = instances;
        this.store = store;
        this.shared = db.isSqlite() ? null : new SharedSamples(db);
    }

    /** On PostgreSQL, writes the queued shared samples every 250 ms, a duty of the master's schedule. */
    public MetricService start(Schedule schedule) {
        if (shared != null) {
            shared.start(schedule);
        }
        return this;
    }

    /** Whether samples are shared with the other masters of the database (PostgreSQL). */
    public boolean shared() {
        return shared != null;
    }

    /** Writes the queued shared samples now (tests, the benchmark; they are written every 250 ms anyway). */
    public void flush() {
        if (shared != null) {
            shared.flush();
        }
    }

    /** Shared samples written and dropped (queue full) since start; zeros on SQLite. */
    public long[] sharedCounts() {
        return shared == null ? new long[2] : new long[] {shared.written(), shared.dropped()};
    }

    public MetricStore store() {
        return store;
    }

    /** A node's batch; only node {@code nodeId} itself may send it. */
    public MetricAnswer ingest(Principal caller, String nodeId, MetricBatch batch) {
        NodeService.requireNode(caller, nodeId);
        if (batch == null) {
            throw ApiException.badRequest("body is required");
        }
        if (batch.samples().size() > MetricBatch.MAX_SAMPLES) {
            throw new ApiException(422, "limit_exceeded", "a batch carries at most " + MetricBatch.MAX_SAMPLES
                    + " samples (got " + batch.samples().size() + "); send several");
        }
        Map<String, String> hosted = new HashMap<>();
        db.read(c -> Sql.list(c, "SELECT id, instance_id FROM node_partition WHERE node_id = ? AND instance_id IS NOT NULL",
                rs -> hosted.put(rs.getString(1), rs.getString(2)), nodeId));
        long now = System.currentTimeMillis();
        int accepted = 0;
        Map<String, Integer> why = new TreeMap<>();
        for (MetricBatch.Sample s : batch.samples()) {
            String reason = null;
            String instance = s == null ? null : hosted.get(s.partition());
            if (s == null || s.metric() == null || !NAME.matcher(s.metric()).matches()) {
                reason = "bad metric name";
            } else if (instance == null) {
                reason = "partition hosts no instance";
            } else if (!Double.isFinite(s.value())) {
                reason = "not a finite number";
            } else if (s.at() > now + FUTURE_MS || s.at() < now - PAST_MS) {
                reason = "time out of range";
            } else if (!store.add(instance, s.metric(), s.at(), s.value())) {
                reason = "more than " + MetricStore.MAX_METRICS + " metrics";
            }
            if (reason == null) {
                accepted++;
                if (shared != null) {
                    shared.offer(instance, s.metric(), s.at(), s.value());
                }
            } else {
                why.merge(reason, 1, Integer::sum);
            }
        }
        int dropped = batch.samples().size() - accepted;
        return new MetricAnswer(accepted, dropped, why.isEmpty() ? null : why.toString());
    }

    /** The series of one of the caller's instances since {@code since} (epoch ms; null: the last hour). */
    public MetricSeries instance(Principal caller, String name, Long since, String metric) {
        Instance i = instances.info(caller, name);
        flush(); // read your writes: what this master took is in the table before it answers
        long from = from(since);
        int resolution = SeriesRing.resolutionFor(from, System.currentTimeMillis());
        return new MetricSeries(null, from, resolution, series(null, null, i.id(), i.name(), metric, resolution, from));
    }

    /** The series of every member of the caller's cluster since {@code since}. */
    public MetricSeries cluster(Principal caller, String name, Long since, String metric) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("this call needs a user's API token");
        }
        long from = from(since);
        int resolution = SeriesRing.resolutionFor(from, System.currentTimeMillis());
        flush();
        return db.read(c -> {
            ClusterLookup.Ref cl = ClusterLookup.find(c, caller, name);
            List<MetricSeries.Series> out = new ArrayList<>();
            for (ClusterLookup.MemberRef m : ClusterLookup.members(c, cl.id())) {
                if (m.instanceId() != null) {
                    out.addAll(series(m.member(), m.role(), m.instanceId(), m.instanceName(), metric, resolution, from));
                }
            }
            return new MetricSeries(cl.name(), from, resolution, out);
        });
    }

    private List<MetricSeries.Series> series(String member, String role, String instanceId, String instanceName,
                                             String metric, int resolution, long from) {
        List<MetricSeries.Series> out = new ArrayList<>();
        if (shared != null && resolution == SeriesRing.TIERS[0][0]) {
            // the finest view from the table: every master's samples (coarser views: this master's rings)
            for (Map.Entry<String, SharedSamples.SeriesData> e : shared.series(instanceId, from, resolution).entrySet()) {
                if (metric == null || metric.equals(e.getKey())) {
                    SharedSamples.SeriesData d = e.getValue();
                    out.add(new MetricSeries.Series(member, role, instanceName, e.getKey(), d.lastAt < 0 ? null : d.lastAt,
                            d.lastAt < 0 ? null : d.last, d.points));
                }
            }
            return out;
        }
        for (Map.Entry<String, SeriesRing> e : new TreeMap<>(store.of(instanceId)).entrySet()) {
            if (metric == null || metric.equals(e.getKey())) {
                SeriesRing r = e.getValue();
                long at = r.lastAt();
                out.add(new MetricSeries.Series(member, role, instanceName, e.getKey(), at < 0 ? null : at,
                        at < 0 ? null : r.last(), r.points(resolution, from)));
            }
        }
        return out;
    }

    /**
     * The last sample of {@code metric} of an instance if taken at or after {@code notBefore}
     * (epoch ms): on PostgreSQL the latest of any master's (the table's, or this master's own not
     * yet written), else this master's.
     */
    public OptionalDouble last(String instanceId, String metric, long notBefore) {
        SeriesRing r = store.of(instanceId).get(metric);
        long localAt = r == null ? -1 : r.lastAt();
        double local = r == null ? 0 : r.last();
        if (shared != null) {
            var other = shared.last(instanceId, metric, notBefore);
            if (other.isPresent() && other.get().at() > localAt) {
                return OptionalDouble.of(other.get().value());
            }
        }
        if (r == null || localAt < notBefore) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(local);
    }

    /** Forgets the series of instances that are gone (run now and then by the master's scheduler). */
    public void prune() {
        HashSet<String> live = new HashSet<>(db.read(c -> Sql.list(c, "SELECT instance_id FROM node_partition"
                + " WHERE instance_id IS NOT NULL", rs -> rs.getString(1))));
        store.retain(live);
        if (shared != null) {
            shared.prune();
        }
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }

    private static long from(Long since) {
        long now = System.currentTimeMillis();
        if (since == null) {
            return now - 3600_000;
        }
        if (since < 0 || since > now + FUTURE_MS) {
            throw ApiException.badRequest("since must be epoch milliseconds, not in the future (got " + since + ")");
        }
        return since;
    }
}
