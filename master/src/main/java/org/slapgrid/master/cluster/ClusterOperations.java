package org.slapgrid.master.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterBackup;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.JobInfo;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.RequestedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster operations that wait for partition jobs: backup (a {@code backup} job per member,
 * then ONE backup entry), restore (a {@code restore} job per member of the new cluster) and the
 * rolling restart (a {@code restart} job per member, one after the other). Each keeps what it
 * waits for in {@code cluster_operation} (V10), written in the transaction that claims the task
 * and creates the jobs, and moves on when a job ends ({@link #advanceAll}, called by the job
 * listener and by the tick): no thread waits for a job, and a restarted master picks the
 * operation up where it was (the nodes report to whichever master answers).
 *
 * <p>Backup files: each part is {@code <backups>/<backup id>/<member>.tar.gz}, names the master
 * made; a failed backup removes its parts and records nothing.
 */
final class ClusterOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperations.class);
    static final Duration BACKUP_TIMEOUT = Duration.ofHours(1);
    static final Duration RESTORE_TIMEOUT = Duration.ofHours(1);
    static final Duration RESTART_TIMEOUT = Duration.ofMinutes(5);

    private final Database db;
    private final ChangeListener listener;
    private final JobService jobs;
    private final ClusterEvents events;
    private final Path backups;

    ClusterOperations(Database db, ChangeListener listener, JobService jobs, ClusterEvents events, Path backups) {
        this.db = db;
        this.listener = listener;
        this.jobs = jobs;
        this.events = events;
        this.backups = backups;
    }

    /** What an operation waits for: the jobs by member, and for a restart the order and where it is. */
    record Waiting(String backup, Map<String, String> jobs, List<String> order, int at) {
        Waiting {
            jobs = jobs == null ? Map.of() : jobs;
            order = order == null ? List.of() : order;
        }
    }

    static void save(Connection c, String clusterId, ClusterTask task, Waiting w) throws SQLException {
        if (Sql.update(c, "UPDATE cluster_operation SET task = ?, state = ? WHERE cluster_id = ?", task.name(),
                ClusterRows.json(w), clusterId) == 0) {
            Sql.update(c, "INSERT INTO cluster_operation (cluster_id, task, state, started_at) VALUES (?, ?, ?, ?)",
                    clusterId, task.name(), ClusterRows.json(w), System.currentTimeMillis());
        }
    }

    static Optional<Waiting> waiting(Connection c, String clusterId) throws SQLException {
        return Sql.one(c, "SELECT state FROM cluster_operation WHERE cluster_id = ?",
                rs -> {
                    try {
                        return ClusterRows.JSON.readValue(rs.getString(1), Waiting.class);
                    } catch (IOException e) {
                        throw new SQLException("cluster_operation of " + clusterId + " is not readable: " + e.getMessage(), e);
                    }
                }, clusterId);
    }

    // ------------------------------------------------------------------ starting (in the claiming transaction)

    /** The members an operation acts on: every member not leaving, each with a partition (422 naming one without). */
    static List<ClusterRows.Member> allocated(ClusterRows.Cluster cl, List<ClusterRows.Member> members, String operation) {
        List<ClusterRows.Member> out = new ArrayList<>();
        for (ClusterRows.Member m : members) {
            if (m.leaving()) {
                continue;
            }
            if (m.partition() == null || RequestedState.DESTROYED.json().equals(m.requestedState())) {
                throw new ApiException(422, "cluster_rule", "member '" + m.shortName() + "' of cluster '" + cl.name()
                        + "' has no partition: " + operation + " needs every member allocated (allocated)");
            }
            out.add(m);
        }
        if (out.isEmpty()) {
            throw new ApiException(422, "cluster_rule", "cluster '" + cl.name() + "' has no member to " + operation + " (members)");
        }
        return out;
    }

    static String startBackup(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members, Changes changes)
            throws SQLException {
        String backupId = Ids.next("b");
        Map<String, String> byMember = new LinkedHashMap<>();
        for (ClusterRows.Member m : allocated(cl, members, "backup")) {
            byMember.put(m.shortName(), JobService.create(c, m.instanceId(), "backup", Map.of("cluster", cl.name(),
                    "member", m.shortName(), "backup", backupId), BACKUP_TIMEOUT, changes));
        }
        save(c, cl.id(), ClusterTask.BACKING_UP, new Waiting(backupId, byMember, null, 0));
        return backupId;
    }

    /**
     * The rolling restart's rules and first job: no member busy (409: its node has not applied
     * its latest change, or it has a job open) or in error (422). Replicas first, the primary last.
     */
    static void startRestart(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members, Changes changes)
            throws SQLException {
        List<ClusterRows.Member> all = allocated(cl, members, "restart");
        for (ClusterRows.Member m : all) {
            if (InstanceState.ERROR.json().equals(m.reportedState())) {
                throw new ApiException(422, "cluster_rule", "member '" + m.shortName() + "' is in error; a restart needs every"
                        + " member healthy (member in error)");
            }
            boolean applied = Sql.one(c, "SELECT ts, reported_ts FROM instance WHERE id = ?",
                    rs -> rs.getObject(2) != null && rs.getLong(1) == rs.getLong(2), m.instanceId()).orElse(false);
            boolean openJob = Sql.one(c, "SELECT 1 FROM partition_job WHERE instance_id = ? AND state IN (?, ?)", rs -> true,
                    m.instanceId(), JobState.PENDING.name(), JobState.RUNNING.name()).isPresent();
            if (!applied || openJob) {
                throw ApiException.conflict("member_busy", "member '" + m.shortName() + "' is busy ("
                        + (openJob ? "a job of it is running" : "its node has not applied its latest change yet")
                        + "); a restart needs no member busy (member busy)");
            }
        }
        List<String> order = new ArrayList<>(all.stream().map(ClusterRows.Member::shortName).toList());
        if (cl.primary() != null && order.remove(cl.primary())) {
            order.add(cl.primary());
        }
        ClusterRows.Member first = all.stream().filter(m -> m.shortName().equals(order.get(0))).findFirst().orElseThrow();
        String job = JobService.create(c, first.instanceId(), "restart", Map.of("cluster", cl.name(), "member", first.shortName()),
                RESTART_TIMEOUT, changes);
        save(c, cl.id(), ClusterTask.RESTARTING, new Waiting(null, Map.of(first.shortName(), job), order, 0));
    }

    /**
     * After a restored cluster was built: claims RESTORING and gives each member the part of the
     * backup's member at the same place (same role, same rank by index).
     */
    String startRestore(String clusterId, ClusterBackup backup) {
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            if (!ClusterRows.claim(c, clusterId, ClusterTask.RESTORING)) {
                throw ApiException.conflict("cluster_busy", "the new cluster is busy; cannot restore into it");
            }
            Map<String, String> byMember = new LinkedHashMap<>();
            List<ClusterRows.Member> members = ClusterRows.members(c, clusterId);
            for (ClusterRole role : backup.roles()) {
                List<ClusterRows.Member> ours = members.stream().filter(m -> !m.leaving() && m.role().equals(role.name()))
                        .sorted(Comparator.comparingInt(ClusterRows.Member::index)).toList();
                List<ClusterBackup.Part> parts = backup.parts().stream().filter(p -> p.role().equals(role.name()))
                        .sorted(Comparator.comparingInt(p -> index(p.member()))).toList();
                for (int i = 0; i < ours.size() && i < parts.size(); i++) {
                    ClusterBackup.Part part = parts.get(i);
                    String job = JobService.create(c, ours.get(i).instanceId(), "restore", Map.of("backup", backup.id(),
                            "part", part.member(), "sha256", part.sha256()), RESTORE_TIMEOUT, changes);
                    try {
                        jobs.attachInput(job, partFile(backup.id(), part.member())); // before commit: the node never misses it
                    } catch (IOException e) {
                        throw new ApiException(500, "store_error", "cannot read part " + part.member() + " of backup "
                                + backup.id() + ": " + e.getMessage());
                    }
                    byMember.put(ours.get(i).shortName(), job);
                }
            }
            save(c, clusterId, ClusterTask.RESTORING, new Waiting(backup.id(), byMember, null, 0));
            ClusterEvents.append(c, clusterId, "restore", "restore of backup " + backup.id() + " started: " + byMember.size()
                    + " members run etc/restore", Map.of("backup", backup.id(), "jobs", byMember));
            return changes;
        });
        return clusterId;
    }

    private static int index(String member) {
        return Integer.parseInt(member.substring(member.lastIndexOf('.') + 1));
    }

    // ------------------------------------------------------------------ moving on

    /** Moves every waiting operation on as far as its jobs allow (idempotent; one at a time in this master). */
    synchronized void advanceAll() {
        for (String[] op : db.read(c -> Sql.list(c, "SELECT cluster_id, task FROM cluster_operation",
                rs -> new String[] {rs.getString(1), rs.getString(2)}))) {
            try {
                advance(op[0], ClusterTask.valueOf(op[1]));
            } catch (RuntimeException e) {
                LOG.warn("cluster {}: cannot advance {}: {}", op[0], op[1], e.toString());
            }
        }
    }

    private void advance(String clusterId, ClusterTask task) {
        Waiting w = db.read(c -> waiting(c, clusterId)).orElse(null);
        if (w == null) {
            return;
        }
        Map<String, JobInfo> states = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : w.jobs().entrySet()) {
            states.put(e.getKey(), jobs.get(e.getValue()).orElse(null));
        }
        Optional<Map.Entry<String, JobInfo>> failed = states.entrySet().stream()
                .filter(e -> e.getValue() == null || e.getValue().state() == JobState.FAILED).findFirst();
        boolean allDone = states.values().stream().allMatch(j -> j != null && j.state() == JobState.DONE);
        switch (task) {
            case BACKING_UP -> {
                if (failed.isPresent()) {
                    failBackup(clusterId, w, "member " + failed.get().getKey() + " failed: " + why(failed.get().getValue()));
                } else if (allDone) {
                    completeBackup(clusterId, w, states);
                }
            }
            case RESTORING -> {
                if (failed.isPresent()) {
                    end(clusterId, w, "failed", "restore of backup " + w.backup() + " failed: member " + failed.get().getKey()
                            + ": " + why(failed.get().getValue()));
                } else if (allDone) {
                    end(clusterId, w, "restored", null);
                }
            }
            case RESTARTING -> advanceRestart(clusterId, w, failed, allDone);
            default -> end(clusterId, w, "failed", task + " has no job to wait for");
        }
    }

    private static String why(JobInfo j) {
        if (j == null) {
            return "its job is gone";
        }
        String out = j.output() == null ? "" : j.output().strip();
        String[] lines = out.split("\n");
        String tail = lines.length <= 3 ? out : String.join("\n", java.util.Arrays.copyOfRange(lines, lines.length - 3, lines.length));
        return (j.exitCode() == null ? "" : "exit " + j.exitCode() + ": ") + tail;
    }

    private void advanceRestart(String clusterId, Waiting w, Optional<Map.Entry<String, JobInfo>> failed, boolean allDone) {
        String member = w.order().get(w.at());
        if (failed.isPresent()) {
            List<String> rest = w.order().subList(w.at() + 1, w.order().size());
            end(clusterId, w, "failed", "restart stopped at member " + member + ": " + why(failed.get().getValue())
                    + (rest.isEmpty() ? "" : "; not restarted: " + String.join(", ", rest)));
            return;
        }
        if (!allDone) {
            return;
        }
        int next = w.at() + 1;
        if (next >= w.order().size()) {
            end(clusterId, w, "restarted", null);
            return;
        }
        String nextMember = w.order().get(next);
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            ClusterRows.Member m = ClusterRows.members(c, clusterId).stream().filter(x -> x.shortName().equals(nextMember))
                    .findFirst().orElse(null);
            if (m == null || m.partition() == null) {
                save(c, clusterId, ClusterTask.RESTARTING, new Waiting(null, Map.of(nextMember, "gone"), w.order(), next));
                return changes;
            }
            String job = JobService.create(c, m.instanceId(), "restart", Map.of("member", nextMember), RESTART_TIMEOUT, changes);
            save(c, clusterId, ClusterTask.RESTARTING, new Waiting(null, Map.of(nextMember, job), w.order(), next));
            ClusterEvents.append(c, clusterId, "restart", "member " + member + " restarted, its promises kept; now "
                    + nextMember, Map.of("member", member, "next", nextMember));
            return changes;
        });
        advance(clusterId, ClusterTask.RESTARTING); // its job may have ended already
    }

    /** Ends the operation: task NONE, last error (null when it succeeded), one event; its jobs' files go. */
    private void end(String clusterId, Waiting w, String kind, String error) {
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            for (String job : w.jobs().values()) {
                JobService.cancel(c, job, "the operation ended: " + (error == null ? kind : error), changes);
            }
            String task = Sql.one(c, "SELECT task FROM cluster WHERE id = ?", rs -> rs.getString(1), clusterId).orElse("?");
            Sql.update(c, "DELETE FROM cluster_operation WHERE cluster_id = ?", clusterId);
            Sql.update(c, "UPDATE cluster SET task = ?, task_at = ?, last_error = ? WHERE id = ?", ClusterTask.NONE.name(),
                    System.currentTimeMillis(), error, clusterId);
            ClusterEvents.append(c, clusterId, kind, error != null ? error : task + " done", error == null
                    ? Map.of("task", task) : Map.of("task", task, "error", error));
            return changes;
        });
        w.jobs().values().stream().filter(j -> j.startsWith("j")).forEach(jobs::deleteFiles);
    }

    // ------------------------------------------------------------------ backups

    Path partFile(String backupId, String member) {
        if (!backupId.matches("b[0-9a-f]+") || !member.matches("[a-z0-9_-]+\\.[0-9]+")) {
            throw ApiException.notFound("unknown_backup", "no backup '" + backupId + "'");
        }
        return backups.resolve(backupId).resolve(member + ".tar.gz");
    }

    private void failBackup(String clusterId, Waiting w, String why) {
        deleteParts(w.backup());
        end(clusterId, w, "failed", "backup failed, nothing recorded: " + why);
    }

    void deleteParts(String backupId) {
        Path dir = backups.resolve(backupId);
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the parts of backup {}: {}", backupId, e.toString());
        }
    }

    /**
     * Every member's job is done: each part is checked (the sha256 the node reported is the one
     * the master computed while receiving it), moved under the backup's directory (repeatable:
     * a part already moved stays), and then ONE entry with every part is recorded.
     */
    private void completeBackup(String clusterId, Waiting w, Map<String, JobInfo> done) {
        List<ClusterBackup.Part> parts = new ArrayList<>();
        try {
            Path dir = backups.resolve(w.backup());
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(backups);
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            for (Map.Entry<String, JobInfo> e : done.entrySet()) {
                String member = e.getKey();
                String jobId = w.jobs().get(member);
                Path target = partFile(w.backup(), member);
                Optional<JobService.Artifact> sent = jobs.uploaded(jobId);
                Object reported = e.getValue().result().get("sha256");
                if (sent.isEmpty()) {
                    failBackup(clusterId, w, "member " + member + " sent no backup file");
                    return;
                }
                if (!sent.get().sha256().equals(reported)) {
                    failBackup(clusterId, w, "member " + member + "'s file has sha256 " + sent.get().sha256() + " at the master, "
                            + reported + " at its node (checksum)");
                    return;
                }
                if (Files.isRegularFile(sent.get().file())) {
                    Files.move(sent.get().file(), target, StandardCopyOption.REPLACE_EXISTING);
                } else if (!Files.isRegularFile(target)) {
                    failBackup(clusterId, w, "member " + member + "'s file is gone from the master");
                    return;
                }
                String role = member.substring(0, member.lastIndexOf('.'));
                parts.add(new ClusterBackup.Part(member, role, sent.get().size(), sent.get().sha256()));
            }
        } catch (IOException e) {
            failBackup(clusterId, w, "cannot keep the parts: " + e.getMessage());
            return;
        }
        long total = parts.stream().mapToLong(ClusterBackup.Part::size).sum();
        db.transaction(c -> {
            if (Sql.one(c, "SELECT 1 FROM cluster_backup WHERE id = ?", rs -> true, w.backup()).isPresent()) {
                return null; // recorded by a master stopped right after: only the end is left
            }
            ClusterRows.Cluster cl = ClusterRows.byId(c, clusterId).orElseThrow();
            List<ClusterRole> roles = new ArrayList<>();
            for (ClusterRows.Role r : ClusterRows.roles(c, clusterId)) {
                int count = (int) parts.stream().filter(p -> p.role().equals(r.name())).count();
                roles.add(new ClusterRole(r.name(), r.softwareType(), r.parameters(), count, r.min(), r.max()));
            }
            Sql.update(c, "INSERT INTO cluster_backup (id, owner, cluster_name, software_url, topology, roles, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", w.backup(), cl.owner(), cl.name(), cl.softwareUrl(), cl.topology().json(),
                    ClusterRows.json(new Spec(cl.parameters(), roles)), System.currentTimeMillis());
            for (ClusterBackup.Part p : parts) {
                Sql.update(c, "INSERT INTO cluster_backup_part (backup_id, member, role, file, size, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                        w.backup(), p.member(), p.role(), p.member() + ".tar.gz", p.size(), p.sha256());
            }
            return null;
        });
        end(clusterId, w, "backup", null);
        events.append(clusterId, "backup", "backup " + w.backup() + " recorded: " + parts.size() + " parts, " + total + " bytes",
                Map.of("backup", w.backup(), "parts", parts.size(), "bytes", total));
    }

    /** What the {@code roles} column of a backup holds: the cluster's parameters and its roles with their sizes. */
    record Spec(Map<String, Object> parameters, List<ClusterRole> roles) {
    }

    /** A {@code cluster_backup} row as stored (its parts are read once the backups' query is done). */
    private record BackupRow(String id, String clusterName, String owner, String softwareUrl, String topology, String roles,
                             long createdAt) {
    }

    static List<ClusterBackup> backups(Connection c, String where, Object... args) throws SQLException {
        List<ClusterBackup> out = new ArrayList<>();
        for (BackupRow row : Sql.list(c, "SELECT id, cluster_name, owner, software_url, topology, roles, created_at"
                + " FROM cluster_backup " + where, rs -> new BackupRow(rs.getString("id"), rs.getString("cluster_name"),
                rs.getString("owner"), rs.getString("software_url"), rs.getString("topology"), rs.getString("roles"),
                rs.getLong("created_at")), args)) {
            Spec spec;
            try {
                spec = ClusterRows.JSON.readValue(row.roles(), new TypeReference<Spec>() { });
            } catch (IOException e) {
                spec = new Spec(Map.of(), List.of());
            }
            List<ClusterBackup.Part> parts = Sql.list(c, "SELECT member, role, size, sha256 FROM cluster_backup_part"
                    + " WHERE backup_id = ? ORDER BY role, member", rs -> new ClusterBackup.Part(rs.getString("member"),
                    rs.getString("role"), rs.getLong("size"), rs.getString("sha256")), row.id());
            out.add(new ClusterBackup(row.id(), row.clusterName(), row.owner(), row.softwareUrl(),
                    ClusterTopology.parse(row.topology()), spec.parameters(), spec.roles(), row.createdAt(), parts));
        }
        return out;
    }

    static void deleteBackupRows(Connection c, String backupId) throws SQLException {
        Sql.update(c, "DELETE FROM cluster_backup_part WHERE backup_id = ?", backupId);
        Sql.update(c, "DELETE FROM cluster_backup WHERE id = ?", backupId);
    }
}
