package org.slapgrid.master.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.JobInfo;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.PartitionJob;

/**
 * The one owner of partition jobs (table {@code partition_job}, V6) and of their files under
 * {@code <dataDir>/jobs}: a job's input ({@code <id>.in}, what its node fetches, e.g. a restore's
 * backup part) and output ({@code <id>.out}, what its node uploads, e.g. a backup archive). File
 * names are made from job ids the master generated, found in the store for the calling node's
 * own partition: never from a request's text.
 *
 * <p>A job is created in the caller's transaction ({@link #create}), which touches the node so
 * its long-poll wakes and its document carries the job; the node reports RUNNING, then DONE or
 * FAILED once ({@link #report}); a job still not final at its deadline is failed by
 * {@link #expireOverdue} (the caller's periodic tick). Each end is told to the listeners after
 * commit.
 */
public final class JobService {
    /** The most of a job's output kept (its tail) and of its result (JSON). */
    static final int OUTPUT_TAIL = 16 * 1024;
    static final int MAX_RESULT_BYTES = 64 * 1024;
    /** A job's deadline beyond its own timeout: the node's queue, a release build, a slow report. */
    static final Duration DEADLINE_SLACK = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = Json.lenient();

    private final Database db;
    private final ChangeListener listener;
    private final Path directory;
    private final long maxArtifactBytes;
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param directory        where job files live (created 0700 when missing)
     * @param maxArtifactBytes the largest file a node may upload for one job
     */
    public JobService(Database db, ChangeListener listener, Path directory, long maxArtifactBytes) {
        this.db = db;
        this.listener = listener;
        this.directory = directory;
        this.maxArtifactBytes = maxArtifactBytes;
    }

    public void addListener(JobListener l) {
        listeners.add(l);
    }

    public long maxArtifactBytes() {
        return maxArtifactBytes;
    }

    // ------------------------------------------------------------------ creating

    /**
     * Creates a PENDING job for the instance's node in the caller's transaction and touches that
     * node (its document then carries the job). {@code timeout} is how long the job may run on
     * the node ({@code args.timeoutSeconds} for it); the master fails it when no end was reported
     * by then plus {@link #DEADLINE_SLACK}.
     */
    public static String create(Connection c, String instanceId, String kind, Map<String, Object> args, Duration timeout,
                                Changes changes) throws SQLException {
        String node = Sql.one(c, "SELECT node_id FROM instance WHERE id = ? AND partition_id IS NOT NULL",
                rs -> rs.getString(1), instanceId).orElseThrow(() -> ApiException.conflict("not_allocated",
                "instance " + instanceId + " has no partition: no node to run a " + kind + " job"));
        Map<String, Object> withTimeout = new LinkedHashMap<>(args == null ? Map.of() : args);
        withTimeout.put("timeoutSeconds", timeout.toSeconds());
        String id = Ids.next("j");
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO partition_job (id, instance_id, node_id, kind, args, state, created_at, deadline_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, instanceId, node, kind, json(withTimeout), JobState.PENDING.name(),
                now, now + timeout.plus(DEADLINE_SLACK).toMillis());
        changes.touch(node);
        return id;
    }

    /** The jobs a node's document carries (PENDING and RUNNING), by instance id, oldest first. */
    public static Map<String, List<PartitionJob>> openJobsOfNode(Connection c, String nodeId) throws SQLException {
        Map<String, List<PartitionJob>> out = new HashMap<>();
        for (Object[] row : Sql.list(c, "SELECT j.instance_id, j.id, j.kind, j.args FROM partition_job j"
                + " WHERE j.node_id = ? AND j.state IN (?, ?) ORDER BY j.id", rs -> new Object[] {rs.getString("instance_id"),
                new PartitionJob(rs.getString("id"), rs.getString("kind"), map(rs.getString("args")))},
                nodeId, JobState.PENDING.name(), JobState.RUNNING.name())) {
            out.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((PartitionJob) row[1]);
        }
        return out;
    }

    // ------------------------------------------------------------------ reading

    public Optional<JobInfo> get(String id) {
        return db.read(c -> get(c, id));
    }

    public static Optional<JobInfo> get(Connection c, String id) throws SQLException {
        return Sql.one(c, SELECT + "WHERE j.id = ?", JobService::info, id);
    }

    /** An instance's jobs, newest first (at most {@code limit}). */
    public List<JobInfo> ofInstance(String instanceId, int limit) {
        return db.read(c -> {
            List<JobInfo> all = Sql.list(c, SELECT + "WHERE j.instance_id = ? ORDER BY j.id DESC", JobService::info, instanceId);
            return all.size() > limit ? all.subList(0, limit) : all;
        });
    }

    private static final String SELECT = "SELECT j.id, i.name, j.kind, j.args, j.state, j.created_at, j.started_at,"
            + " j.finished_at, j.exit_code, j.output, j.duration_ms, j.result FROM partition_job j"
            + " LEFT JOIN instance i ON i.id = j.instance_id ";

    private static JobInfo info(ResultSet rs) throws SQLException {
        return new JobInfo(rs.getString("id"), rs.getString("name"), rs.getString("kind"), map(rs.getString("args")),
                JobState.valueOf(rs.getString("state")), rs.getLong("created_at"), longOrNull(rs, "started_at"),
                longOrNull(rs, "finished_at"), rs.getObject("exit_code") == null ? null : rs.getInt("exit_code"),
                rs.getString("output"), longOrNull(rs, "duration_ms"), map(rs.getString("result")));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    // ------------------------------------------------------------------ the node's side

    /** The row of a job of {@code node}'s partition {@code partition}, or 404 (another node's job is answered as missing). */
    private static String[] ownJob(Connection c, String node, String partition, String jobId) throws SQLException {
        return Sql.one(c, "SELECT j.state, j.kind FROM partition_job j JOIN instance i ON i.id = j.instance_id"
                        + " WHERE j.id = ? AND j.node_id = ? AND i.partition_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, jobId, node, partition)
                .orElseThrow(() -> ApiException.notFound("unknown_job", "partition " + partition + " of node " + node
                        + " has no job '" + jobId + "'"));
    }

    /**
     * A node's report: RUNNING records the start; DONE or FAILED ends the job once (the same end
     * again is accepted, so a node may repeat a report it is not sure arrived; another end is 409).
     */
    public void report(Principal caller, String node, String partition, String jobId, JobReport r) {
        NodeService.requireNode(caller, node);
        if (r == null || r.state() == null) {
            throw ApiException.badRequest("state is required (RUNNING, DONE or FAILED)");
        }
        if (r.state() == JobState.PENDING) {
            throw ApiException.badRequest("state: a node reports RUNNING, DONE or FAILED, not PENDING");
        }
        String result = r.result() == null ? null : json(r.result());
        if (result != null && result.length() > MAX_RESULT_BYTES) {
            throw new ApiException(422, "limit_exceeded", "result: " + result.length() + " bytes; a job's result has at most "
                    + MAX_RESULT_BYTES + " (maxJobResultBytes)");
        }
        boolean[] ended = new boolean[1];
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            JobState now = JobState.valueOf(ownJob(c, node, partition, jobId)[0]);
            long at = System.currentTimeMillis();
            if (now.isFinal()) {
                if (r.state() != now && r.state() != JobState.RUNNING) {
                    throw ApiException.conflict("job_final", "job " + jobId + " already ended " + now + "; it cannot end "
                            + r.state() + " too");
                }
                return changes; // a repeated report, or a late RUNNING: nothing changes
            }
            if (r.state() == JobState.RUNNING) {
                Sql.update(c, "UPDATE partition_job SET state = ?, started_at = ? WHERE id = ? AND state = ?",
                        JobState.RUNNING.name(), at, jobId, JobState.PENDING.name());
                return changes; // the document shows the job as before: no version bump
            }
            Sql.update(c, "UPDATE partition_job SET state = ?, finished_at = ?, started_at = COALESCE(started_at, ?),"
                    + " exit_code = ?, output = ?, duration_ms = ?, result = ? WHERE id = ?", r.state().name(), at, at,
                    r.exitCode(), tail(r.output()), r.durationMs(), result, jobId);
            changes.touch(node); // the job leaves the node's document
            ended[0] = true;
            return changes;
        });
        if (ended[0]) {
            tell(jobId);
        }
    }

    /**
     * Stores the file a node uploads for its job ({@code <id>.out}), at most {@link #maxArtifactBytes}
     * (413 past it, nothing kept), while the job is not final; returns the file's sha256 as the master computed it.
     */
    public String receiveArtifact(Principal caller, String node, String partition, String jobId, InputStream in) {
        NodeService.requireNode(caller, node);
        db.read(c -> {
            JobState s = JobState.valueOf(ownJob(c, node, partition, jobId)[0]);
            if (s.isFinal()) {
                throw ApiException.conflict("job_final", "job " + jobId + " already ended " + s + ": its file is no longer taken");
            }
            return null;
        });
        Path tmp = output(jobId).resolveSibling(jobId + ".out.tmp");
        try {
            ensureDirectory();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long total = 0;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > maxArtifactBytes) {
                        throw new ApiException(413, "too_large", "the file of job " + jobId + " is larger than "
                                + maxArtifactBytes + " bytes (maxArtifactBytes)");
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            Files.move(tmp, output(jobId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            String hex = HexFormat.of().formatHex(sha.digest());
            long size = total;
            db.transaction(c -> Sql.update(c, "UPDATE partition_job SET artifact_size = ?, artifact_sha256 = ? WHERE id = ?",
                    size, hex, jobId));
            return hex;
        } catch (IOException e) {
            throw new ApiException(500, "store_error", "cannot store the file of job " + jobId + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // removed at the next upload of this job, or with the job's files
            }
        }
    }

    /** The input file of the calling node's job ({@code <id>.in}), 404 when it has none. */
    public Path inputFor(Principal caller, String node, String partition, String jobId) {
        NodeService.requireNode(caller, node);
        db.read(c -> ownJob(c, node, partition, jobId));
        Path in = input(jobId);
        if (!Files.isRegularFile(in)) {
            throw ApiException.notFound("no_artifact", "job " + jobId + " has no file to fetch");
        }
        return in;
    }

    /** What the master computed of the job's uploaded file: its size and sha256 (empty when none was uploaded). */
    public Optional<Artifact> uploaded(String jobId) {
        return db.read(c -> Sql.one(c, "SELECT artifact_size, artifact_sha256 FROM partition_job WHERE id = ?"
                + " AND artifact_sha256 IS NOT NULL", rs -> new Artifact(output(jobId), rs.getLong(1), rs.getString(2)), jobId));
    }

    public record Artifact(Path file, long size, String sha256) {
    }

    /** Makes {@code source} the input of job {@code jobId} (a hard link where it can, else a copy). */
    public void attachInput(String jobId, Path source) throws IOException {
        ensureDirectory();
        Path in = input(jobId);
        Files.deleteIfExists(in);
        try {
            Files.createLink(in, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, in);
        }
    }

    /** Removes a job's files (its input and its output). */
    public void deleteFiles(String jobId) {
        for (Path p : List.of(input(jobId), output(jobId))) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // left behind; harmless, named after a job that is over
            }
        }
    }

    private Path input(String jobId) {
        return directory.resolve(safe(jobId) + ".in");
    }

    public Path output(String jobId) {
        return directory.resolve(safe(jobId) + ".out");
    }

    /** Job ids are the master's own ({@link Ids}); anything else never becomes a path. */
    private static String safe(String jobId) {
        if (jobId == null || !jobId.matches("j[0-9a-f]{1,64}")) {
            throw ApiException.notFound("unknown_job", "no job '" + jobId + "'");
        }
        return jobId;
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile
            }
        }
    }

    // ------------------------------------------------------------------ the master's side

    /** Fails every job still not final past its deadline (the node never answered); returns how many. */
    public int expireOverdue() {
        long now = System.currentTimeMillis();
        List<String> expired = expireOverdue("partition_job", now);
        expired.forEach(this::tell); // listeners hear of partition jobs only, as for a node's report
        return expired.size() + expireOverdue("node_job", now).size();
    }

    /** Fails the jobs of {@code table} (partition_job or node_job) still not final past their deadline; their ids. */
    private List<String> expireOverdue(String table, long now) {
        List<String> expired = new ArrayList<>();
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            for (String[] j : Sql.list(c, "SELECT id, node_id, created_at FROM " + table + " WHERE state IN (?, ?) AND deadline_at < ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3))},
                    JobState.PENDING.name(), JobState.RUNNING.name(), now)) {
                long waited = (now - Long.parseLong(j[2])) / 1000;
                if (Sql.update(c, "UPDATE " + table + " SET state = ?, finished_at = ?, output = ? WHERE id = ? AND state IN (?, ?)",
                        JobState.FAILED.name(), now, "no result from node " + j[1] + " after " + waited + " s (job deadline)",
                        j[0], JobState.PENDING.name(), JobState.RUNNING.name()) == 1) {
                    expired.add(j[0]);
                    changes.touch(j[1]);
                }
            }
            return changes;
        });
        return expired;
    }

    /** Fails a job that is no longer wanted (its operation ended); a no-op for a final one. */
    public static void cancel(Connection c, String jobId, String why, Changes changes) throws SQLException {
        Optional<String> node = Sql.one(c, "SELECT node_id FROM partition_job WHERE id = ? AND state IN (?, ?)",
                rs -> rs.getString(1), jobId, JobState.PENDING.name(), JobState.RUNNING.name());
        if (node.isPresent()) {
            Sql.update(c, "UPDATE partition_job SET state = ?, finished_at = ?, output = ? WHERE id = ?",
                    JobState.FAILED.name(), System.currentTimeMillis(), why, jobId);
            changes.touch(node.get());
        }
    }

    // ------------------------------------------------------------------ node-level jobs

    /*
     * A node-level job (table node_job, V12) is a partition job without a partition: what the
     * master asks of the node itself (a compliance run of its node-level modules). Same states,
     * same report (PUT /api/v1/nodes/{node}/jobs/{id}), same deadline; the document carries it
     * in its top-level "jobs" while it is PENDING or RUNNING. No listener is told of its end.
     */

    /** Creates a PENDING node-level job in the caller's transaction and touches the node. */
    public static String createForNode(Connection c, String nodeId, String kind, Map<String, Object> args, Duration timeout,
                                       Changes changes) throws SQLException {
        Map<String, Object> withTimeout = new LinkedHashMap<>(args == null ? Map.of() : args);
        withTimeout.put("timeoutSeconds", timeout.toSeconds());
        String id = Ids.next("j");
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO node_job (id, node_id, kind, args, state, created_at, deadline_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, nodeId, kind, json(withTimeout), JobState.PENDING.name(), now, now + timeout.plus(DEADLINE_SLACK).toMillis());
        changes.touch(nodeId);
        return id;
    }

    /** The node-level jobs a node's document carries (PENDING and RUNNING), oldest first. */
    public static List<PartitionJob> openNodeJobs(Connection c, String nodeId) throws SQLException {
        return Sql.list(c, "SELECT id, kind, args FROM node_job WHERE node_id = ? AND state IN (?, ?) ORDER BY id",
                rs -> new PartitionJob(rs.getString("id"), rs.getString("kind"), map(rs.getString("args"))), nodeId,
                JobState.PENDING.name(), JobState.RUNNING.name());
    }

    /** A node-level job as partition jobs read ({@code instance} null). */
    public static Optional<JobInfo> getNodeJob(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT j.id, NULL AS name, j.kind, j.args, j.state, j.created_at, j.started_at, j.finished_at, j.exit_code,"
                + " j.output, j.duration_ms, j.result FROM node_job j WHERE j.id = ?", JobService::info, id);
    }

    /** A node's report of its node-level job: as {@link #report}, for the node's own jobs only (another's: 404). */
    public void reportNodeJob(Principal caller, String node, String jobId, JobReport r) {
        NodeService.requireNode(caller, node);
        if (r == null || r.state() == null || r.state() == JobState.PENDING) {
            throw ApiException.badRequest("state: a node reports RUNNING, DONE or FAILED");
        }
        String result = r.result() == null ? null : json(r.result());
        if (result != null && result.length() > MAX_RESULT_BYTES) {
            throw new ApiException(422, "limit_exceeded", "result: " + result.length() + " bytes; a job's result has at most "
                    + MAX_RESULT_BYTES + " (maxJobResultBytes)");
        }
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            JobState now = Sql.one(c, "SELECT state FROM node_job WHERE id = ? AND node_id = ?", rs -> JobState.valueOf(rs.getString(1)),
                    jobId, node).orElseThrow(() -> ApiException.notFound("unknown_job", "node " + node + " has no job '" + jobId + "'"));
            long at = System.currentTimeMillis();
            if (now.isFinal()) {
                if (r.state() != now && r.state() != JobState.RUNNING) {
                    throw ApiException.conflict("job_final", "job " + jobId + " already ended " + now + "; it cannot end "
                            + r.state() + " too");
                }
                return changes;
            }
            if (r.state() == JobState.RUNNING) {
                Sql.update(c, "UPDATE node_job SET state = ?, started_at = ? WHERE id = ? AND state = ?",
                        JobState.RUNNING.name(), at, jobId, JobState.PENDING.name());
                return changes;
            }
            Sql.update(c, "UPDATE node_job SET state = ?, finished_at = ?, started_at = COALESCE(started_at, ?),"
                    + " exit_code = ?, output = ?, duration_ms = ?, result = ? WHERE id = ?", r.state().name(), at, at,
                    r.exitCode(), tail(r.output()), r.durationMs(), result, jobId);
            changes.touch(node);
            return changes;
        });
    }

    private void tell(String jobId) {
        Optional<JobInfo> job = get(jobId);
        if (job.isPresent()) {
            for (JobListener l : listeners) {
                try {
                    l.ended(job.get());
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(JobService.class).warn("a job listener failed on job {}: {}", jobId, e.toString());
                }
            }
        }
    }

    private static String tail(String s) {
        return s == null || s.length() <= OUTPUT_TAIL ? s : "..." + s.substring(s.length() - OUTPUT_TAIL);
    }

    static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode JSON: " + e.getOriginalMessage(), e);
        }
    }
}
