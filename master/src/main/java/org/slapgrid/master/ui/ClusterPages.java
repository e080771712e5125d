package org.slapgrid.master.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.autoscale.PolicyService;
import org.slapgrid.master.metrics.MetricService;
import org.slapgrid.master.cluster.ClusterService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.slap.model.ClusterBackup;
import org.slapgrid.slap.model.ClusterEvent;
import org.slapgrid.slap.model.ClusterGrow;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterPromote;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterShrink;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.MetricSeries;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * What the cluster pages show and do, over {@link ClusterService} (the same calls and rules as
 * the API: a refusal's message is shown as the API words it). Members' connection parameters
 * are never put in these pages: a member's own instance page reveals them one at a time.
 */
public final class ClusterPages {
    /** The newest events a cluster's page shows (the whole log: `slapos cluster events NAME`). */
    static final int EVENTS_SHOWN = 50;
    private final ClusterService clusters;
    private final InstanceService instances;
    private final MetricService metrics;
    private final PolicyService policies;

    public ClusterPages(ClusterService clusters, InstanceService instances, MetricService metrics, PolicyService policies) {
        this.clusters = clusters;
        this.instances = instances;
        this.metrics = metrics;
        this.policies = policies;
    }

    /** One member as the page shows it: no connection parameters. */
    public record MemberRow(String name, int index, String node, String partition, String address, String wanted,
                            String reported, boolean primary, String instanceId) {
    }

    /** A role with its bounds and its members. */
    public record RoleRows(ClusterRole role, List<MemberRow> members) {
    }

    /**
     * A cluster's page: its roles and members, how far its task is ({@code started} of
     * {@code total} members reported started), and the last operation's refusal, if any.
     */
    public record Detail(ClusterInfo cluster, List<RoleRows> roles, int started, int total, String refusal,
                         List<ClusterEvent> events, List<ClusterEvent> scaling, List<ScalingPolicy> policies,
                         List<String> metricNames, List<ClusterBackup> backups) {
        public boolean busy() {
            return cluster.task() != ClusterTask.NONE;
        }

        /** A backup of this cluster is being taken (it is listed once every part is in). */
        public boolean backingUp() {
            return cluster.task() == ClusterTask.BACKING_UP;
        }

        public String task() {
            return cluster.task().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    public record Listing(List<ClusterInfo> clusters, boolean admin) {
    }

    Listing list(Principal caller) {
        return new Listing(clusters.list(caller, false), caller.admin());
    }

    Detail detail(Principal caller, String name, String refusal) {
        ClusterInfo c = clusters.show(caller, name);
        Map<String, String> ids = new HashMap<>();
        for (Instance i : instances.list(caller)) {
            if (i.owner().equals(c.owner())) {
                ids.put(i.name(), i.id());
            }
        }
        Map<String, List<MemberRow>> byRole = new LinkedHashMap<>();
        c.roles().forEach(r -> byRole.put(r.name(), new ArrayList<>()));
        int started = 0;
        for (ClusterMember m : c.members()) {
            boolean up = m.reportedState() == InstanceState.STARTED;
            started += up ? 1 : 0;
            // a member is named within its cluster (db.0); its instance is <cluster>/<member>
            byRole.computeIfAbsent(m.role(), k -> new ArrayList<>()).add(new MemberRow(m.name(), m.index(), m.node(),
                    m.partition(), m.address(), m.requestedState() == null ? "" : m.requestedState().json(),
                    m.reportedState() == null ? "not reported" : m.reportedState().json(),
                    m.name().equals(c.primary()), ids.get(c.name() + "/" + m.name())));
        }
        List<RoleRows> roles = new ArrayList<>();
        for (ClusterRole r : c.roles()) {
            roles.add(new RoleRows(r, byRole.getOrDefault(r.name(), List.of())));
        }
        List<ClusterEvent> all = new ArrayList<>(clusters.events(caller, name));
        java.util.Collections.reverse(all); // newest first
        List<ClusterEvent> scaling = all.stream().filter(e -> e.kind().startsWith("autoscale")).limit(EVENTS_SHOWN).toList();
        List<String> names = metrics.cluster(caller, name, null, null).series().stream().map(MetricSeries.Series::metric)
                .distinct().sorted().toList();
        return new Detail(c, roles, started, c.members().size(), refusal, all.stream().limit(EVENTS_SHOWN).toList(), scaling,
                policies.list(caller, name), names, clusters.backups(caller, name));
    }

    /**
     * The chart of one metric for uPlot: one x axis (seconds) shared by every member's series
     * (null where a member has no point), and the thresholds of the policies on that metric.
     */
    Map<String, Object> chart(Principal caller, String name, String metric) {
        MetricSeries s = metrics.cluster(caller, name, null, metric);
        java.util.TreeSet<Long> times = new java.util.TreeSet<>();
        s.series().forEach(x -> x.points().forEach(p -> times.add(p.at() / 1000)));
        List<Long> t = new ArrayList<>(times);
        List<Map<String, Object>> series = new ArrayList<>();
        for (MetricSeries.Series x : s.series()) {
            Map<Long, Double> at = new HashMap<>();
            x.points().forEach(p -> at.put(p.at() / 1000, p.avg()));
            List<Double> values = new ArrayList<>(t.size());
            t.forEach(k -> values.add(at.get(k)));
            series.add(Map.of("label", x.member() == null ? x.instance() : x.member(), "values", values));
        }
        List<Map<String, Object>> thresholds = new ArrayList<>();
        for (ScalingPolicy p : policies.list(caller, name)) {
            if (p.metric().equals(metric) && !Boolean.FALSE.equals(p.enabled())) {
                if (p.scaleOutAbove() != null) {
                    thresholds.add(Map.of("label", "scale out " + p.role() + " above", "value", p.scaleOutAbove()));
                }
                if (p.scaleInBelow() != null) {
                    thresholds.add(Map.of("label", "scale in " + p.role() + " below", "value", p.scaleInBelow()));
                }
            }
        }
        return Map.of("metric", metric, "t", t, "series", series, "thresholds", thresholds);
    }

    /** A part's sha256 as the page shows it: its first 12 digits (the whole one: `slapos cluster backups NAME --json`). */
    public static String shortSha(String sha256) {
        return sha256 == null ? "" : sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
    }

    /** A part's size in bytes, KiB, MiB or GiB. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Runs operation {@code op} (grow, shrink, promote, backup, destroy) with the form's fields; a refusal throws the API's exception. */
    void operate(Principal caller, String name, String op, Map<String, List<String>> form) {
        switch (op) {
            case "grow" -> clusters.grow(caller, name, new ClusterGrow(first(form, "role"), count(first(form, "count"))));
            case "shrink" -> clusters.shrink(caller, name, new ClusterShrink(form.getOrDefault("member", List.of())));
            case "promote" -> clusters.promote(caller, name, new ClusterPromote(first(form, "member"), "on".equals(first(form, "force"))));
            case "backup" -> clusters.backup(caller, name);
            case "destroy" -> clusters.destroy(caller, name);
            default -> throw ApiException.notFound("unknown_operation", "there is no cluster operation '" + clip(op) + "'");
        }
    }

    private static Integer count(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("count must be a whole number (got '" + clip(value) + "')");
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> v = form.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
