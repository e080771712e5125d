package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.Changes;
import org.slapgrid.slap.model.ClusterDisk;
import org.slapgrid.slap.Sizes;
import org.slapgrid.slap.model.ClusterResize;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.MemberResources;

/**
 * The vertical actions on one member (seed 000's vm_resize, disk_attach, disk_detach), checked
 * and begun in the transaction that claims the cluster's task: the new resources are kept as
 * the action's wish, the member's pre-scale hook is asked for, and {@link ScalingDriver} does
 * the rest (act, re-converge, post-scale).
 */
final class VerticalActions {
    private static final Pattern DISK = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** As the node's {@code PartitionLimits}: the least memory and CPU a member may be given. */
    static final long MIN_MEMORY = 32L << 20;
    static final double MIN_CPUS = 0.01;
    static final double MAX_CPUS = 1024;
    static final long MIN_DISK = 16L << 20;
    static final long MAX_DISK = 1L << 40;
    static final int MAX_DISKS = 16;

    private VerticalActions() {
    }

    static void resize(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members, ClusterResize req,
                       Changes changes) throws SQLException {
        if (req.memory() == null && req.cpu() == null) {
            throw ApiException.badRequest("resize: give memory (e.g. 512M) and/or cpu (e.g. 0.5)");
        }
        ClusterRows.Member member = member(cl, members, req.member());
        MemberStages.Row row = MemberStages.one(c, cl.id(), member.role(), member.index()).orElseThrow();
        MemberResources now = row.resources();
        Long memory = now.memoryBytes();
        if (req.memory() != null) {
            long bytes = size("memory", req.memory());
            if (bytes != 0 && bytes < MIN_MEMORY) {
                throw ApiException.badRequest("memory must be 0 (the node's default) or at least 32M (got " + req.memory() + ")");
            }
            memory = bytes == 0 ? null : bytes;
        }
        Double cpus = now.cpus();
        if (req.cpu() != null) {
            if (req.cpu() != 0 && (!(req.cpu() >= MIN_CPUS) || req.cpu() > MAX_CPUS)) {
                throw ApiException.badRequest("cpu must be 0 (the node's default) or " + MIN_CPUS + "-" + MAX_CPUS + " (got " + req.cpu() + ")");
            }
            cpus = req.cpu() == 0 ? null : req.cpu();
        }
        begin(c, cl, member, row, "vm_resize", new MemberResources(memory, cpus, now.disks()), changes);
    }

    static void attach(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members, ClusterDisk req, Changes changes)
            throws SQLException {
        ClusterRows.Member member = member(cl, members, req.member());
        String name = disk(req.disk());
        if (req.size() == null) {
            throw ApiException.badRequest("size is required (e.g. 1G)");
        }
        long size = size("size", req.size());
        if (size < MIN_DISK || size > MAX_DISK) {
            throw ApiException.badRequest("size must be 16M-1T (got " + req.size() + ")");
        }
        MemberStages.Row row = MemberStages.one(c, cl.id(), member.role(), member.index()).orElseThrow();
        MemberResources now = row.resources();
        if (now.disks().stream().anyMatch(d -> d.name().equals(name))) {
            throw new ApiException(422, "cluster_rule", member.shortName() + " already has a disk '" + name + "' (disk)");
        }
        if (now.disks().size() >= MAX_DISKS) {
            throw new ApiException(422, "cluster_rule", member.shortName() + " has " + MAX_DISKS + " disks, the most a member may have (disks)");
        }
        List<MemberResources.Disk> disks = new ArrayList<>(now.disks());
        disks.add(new MemberResources.Disk(name, size));
        begin(c, cl, member, row, "disk_attach", new MemberResources(now.memoryBytes(), now.cpus(), disks), changes);
    }

    static void detach(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members, ClusterDisk req, Changes changes)
            throws SQLException {
        ClusterRows.Member member = member(cl, members, req.member());
        String name = disk(req.disk());
        MemberStages.Row row = MemberStages.one(c, cl.id(), member.role(), member.index()).orElseThrow();
        MemberResources now = row.resources();
        if (now.disks().stream().noneMatch(d -> d.name().equals(name))) {
            throw ApiException.notFound("unknown_disk", member.shortName() + " has no disk '" + name + "'");
        }
        List<MemberResources.Disk> disks = now.disks().stream().filter(d -> !d.name().equals(name)).toList();
        begin(c, cl, member, row, "disk_detach", new MemberResources(now.memoryBytes(), now.cpus(), disks), changes);
    }

    private static void begin(Connection c, ClusterRows.Cluster cl, ClusterRows.Member member, MemberStages.Row row,
                              String action, MemberResources wanted, Changes changes) throws SQLException {
        if (member.partition() == null) {
            throw new ApiException(422, "cluster_rule", member.shortName() + " has no partition yet (allocated)");
        }
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("action", action);
        pending.put("resources", ClusterRows.JSON.convertValue(wanted, Map.class));
        pending.put("previous", ClusterRows.JSON.convertValue(row.resources(), Map.class));
        MemberStages.setPending(c, cl.id(), member.role(), member.index(), pending);
        boolean started = InstanceState.STARTED.json().equals(member.reportedState());
        String job = ScalingHooks.run(c, member.instanceId(), ScalingHooks.PRE_SCALE, member.role(), List.of(member.shortName()),
                action, changes);
        MemberStages.set(c, row, MemberStages.Stage.PRE_SCALE, job, 0);
        ClusterEvents.append(c, cl.id(), action, action + " of " + member.shortName() + ": pre-scale asked"
                + (started ? "" : " (the member is " + member.reportedState() + ")"), Map.of("member", member.shortName(), "job", job));
    }

    static ClusterRows.Member member(ClusterRows.Cluster cl, List<ClusterRows.Member> members, String name) {
        if (name == null) {
            throw ApiException.badRequest("member is required");
        }
        String shortName = name.startsWith(cl.name() + "/") ? name.substring(cl.name().length() + 1) : name;
        return members.stream().filter(m -> !m.leaving() && m.shortName().equals(shortName)).findFirst()
                .orElseThrow(() -> ApiException.notFound("unknown_member", "cluster '" + cl.name() + "' has no member '" + name + "'"));
    }

    private static String disk(String name) {
        if (name == null || !DISK.matcher(name).matches()) {
            throw ApiException.badRequest("disk must be 1-32 lower-case letters, digits, '_' or '-' (got "
                    + (name == null ? "nothing" : "'" + name + "'") + ")");
        }
        return name;
    }

    /** A size as {@code slapos.cfg} writes it (512M, 2G; powers of 1024), read as the node reads it ({@link Sizes}). */
    static long size(String field, String text) {
        long bytes;
        try {
            bytes = Sizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
        if (bytes > MAX_DISK * 1024.0) {
            throw ApiException.badRequest(field + ": '" + text + "' is too large");
        }
        return bytes;
    }
}
