package org.slapgrid.slap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slapgrid.slap.model.AccountUpdate;
import org.slapgrid.slap.model.ApiError;
import org.slapgrid.slap.model.BangReport;
import org.slapgrid.slap.model.ClusterGrow;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterPromote;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterShrink;
import org.slapgrid.slap.model.ConnectionParameters;
import org.slapgrid.slap.model.FormatReport;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceReport;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceSecret;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.NodeDeletion;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.NodeRegistration;
import org.slapgrid.slap.model.NodeSummary;
import org.slapgrid.slap.model.NodeUpdate;
import org.slapgrid.slap.model.SoftwareReport;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyRequest;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.slap.model.TokenInfo;
import org.slapgrid.slap.model.TokenRequest;
import org.slapgrid.slap.model.UserAccount;
import org.slapgrid.slap.model.UserToken;

/**
 * The Java client of the slap protocol (docs/protocol.md), for the three kinds of caller:
 * a node (with its node secret), an instance (with its instance secret), and a user (with an API
 * token). One client holds one credential; the master refuses calls that credential may not make.
 * Thread-safe. Errors are {@link SlapException}s carrying the master's error code.
 */
public final class SlapClient {
    private static final String JSON = "application/json";

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = Json.lenient();

    private SlapClient(Builder b) {
        String u = b.masterUrl.toString();
        this.base = URI.create(u.endsWith("/") ? u : u + "/");
        this.token = b.token;
        this.timeout = b.timeout;
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.timeout);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
    }

    public static Builder builder(URI masterUrl) {
        return new Builder(masterUrl);
    }

    /** Options of a client: the master URL, the credential, TLS trust and the per-call timeout. */
    public static final class Builder {
        private final URI masterUrl;
        private String token;
        private SSLContext sslContext;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder(URI masterUrl) {
            this.masterUrl = Objects.requireNonNull(masterUrl, "masterUrl");
        }

        /** The node secret, instance secret or user API token sent as {@code Authorization: Bearer}. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Trust these certificates (PEM/DER file or PKCS#12 truststore) instead of the JVM's CAs. */
        public Builder trust(java.nio.file.Path caFile, char[] password) {
            this.sslContext = Tls.trusting(caFile, password);
            return this;
        }

        public Builder sslContext(SSLContext ctx) {
            this.sslContext = ctx;
            return this;
        }

        /** Timeout of an ordinary call; a long-poll adds its wait to it. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public SlapClient build() {
            return new SlapClient(this);
        }
    }

    // ---------------------------------------------------------------- nodes (node secret)

    /** Registers a node (user or admin token); the answer holds the node secret, shown once. */
    public NodeCredentials registerNode(String nodeId, List<String> partitions) {
        return call("POST", "api/v1/nodes", new NodeRegistration(nodeId, partitions), NodeCredentials.class);
    }

    /** Everything the node must converge, now. */
    public NodeInfo nodeInfo(String nodeId) {
        return call("GET", "api/v1/nodes/" + seg(nodeId), null, NodeInfo.class);
    }

    /**
     * Long-poll: returns the node information as soon as its version differs from
     * {@code knownVersion}, or empty when nothing changed within {@code wait} (at most 60 s).
     * Pass {@code knownVersion} -1 to get it at once.
     */
    public Optional<NodeInfo> nodeInfo(String nodeId, long knownVersion, Duration wait) {
        HttpRequest.Builder rb = request("api/v1/nodes/" + seg(nodeId) + "?wait=" + wait.toSeconds())
                .timeout(timeout.plus(wait))
                .GET();
        if (knownVersion >= 0) {
            rb.header("If-None-Match", "\"" + knownVersion + "\"");
        }
        HttpResponse<String> r = send(rb.build());
        if (r.statusCode() == 304) {
            return Optional.empty();
        }
        return Optional.of(read(r, json.constructType(NodeInfo.class)));
    }

    /** Declares the node's partitions (after format); new ones become free partitions. */
    public void reportFormat(String nodeId, List<String> partitions) {
        reportFormat(nodeId, partitions, null);
    }

    /** The same, with each partition's address (by partition id), which cluster members' peers see. */
    public void reportFormat(String nodeId, List<String> partitions, java.util.Map<String, String> addresses) {
        call("PUT", "api/v1/nodes/" + seg(nodeId) + "/partitions", new FormatReport(partitions, addresses), Void.class);
    }

    /** Reports the state of a supplied software release (building, available, error with log, destroyed). */
    public void reportSoftware(String nodeId, String url, SoftwareState state, String log) {
        call("POST", "api/v1/nodes/" + seg(nodeId) + "/software", new SoftwareReport(url, state, log), Void.class);
    }

    /** Reports the state of a partition's instance; destroyed frees the partition. */
    public void reportInstance(String nodeId, String partition, InstanceState state, String log) {
        call("POST", partitionPath(nodeId, partition) + "/state", new InstanceReport(state, log), Void.class);
    }

    /** The same, saying which instance timestamp (version of the request) the report answers. */
    public void reportInstance(String nodeId, String partition, InstanceState state, String log, long timestamp) {
        call("POST", partitionPath(nodeId, partition) + "/state", new InstanceReport(state, log, timestamp), Void.class);
    }

    /** Publishes connection parameters on behalf of the partition's instance. */
    public void publishConnection(String nodeId, String partition, Map<String, Object> parameters) {
        call("PUT", partitionPath(nodeId, partition) + "/connection", new ConnectionParameters(parameters), Void.class);
    }

    /** Reports a bang (a crashed service, a broken promise) for the partition's instance. */
    /** A node sends the status tree of one of its partitions' instances. */
    public void reportStatus(String nodeId, String partition, org.slapgrid.slap.model.PartitionStatus status) {
        call("PUT", partitionPath(nodeId, partition) + "/status", status, Void.class);
    }

    /** The status tree of one of the user's instances, as its node last reported it. */
    public org.slapgrid.slap.model.PartitionStatus status(String name) {
        return call("GET", "api/v1/instances/" + seg(name) + "/status", null, org.slapgrid.slap.model.PartitionStatus.class);
    }

    public void bang(String nodeId, String partition, String message) {
        call("POST", partitionPath(nodeId, partition) + "/bang", new BangReport(message), Void.class);
    }

    /** Issues a fresh secret for the partition's instance (revoking the previous one). */
    public InstanceSecret issueInstanceSecret(String nodeId, String partition) {
        return call("POST", partitionPath(nodeId, partition) + "/secret", Map.of(), InstanceSecret.class);
    }

    // ---------------------------------------------------------------- instances (instance secret)

    /** The calling instance itself: its parameters, state and connection parameters. */
    public Instance self() {
        return call("GET", "api/v1/instance", null, Instance.class);
    }

    /** Requests (or updates) a child of the calling instance; idempotent by name. */
    public Instance requestChild(InstanceRequest request) {
        return call("POST", "api/v1/instance/children", request, Instance.class);
    }

    /** Publishes the calling instance's connection parameters. */
    public void publish(Map<String, Object> parameters) {
        call("PUT", "api/v1/instance/connection", new ConnectionParameters(parameters), Void.class);
    }

    /** Bangs the calling instance's tree. */
    public void bangSelf(String message) {
        call("POST", "api/v1/instance/bang", new BangReport(message), Void.class);
    }

    // ---------------------------------------------------------------- users (API token)

    /** Asks {@code node} to install ({@code available}) or remove ({@code destroyed}) a release. */
    public void supply(String url, String node, SupplyState state) {
        call("POST", "api/v1/supplies", new SupplyRequest(url, node, state), Void.class);
    }

    /** Requests (or updates) one of the caller's instances; idempotent by name. */
    public Instance request(InstanceRequest request) {
        return call("POST", "api/v1/instances", request, Instance.class);
    }

    /** The caller's instances and their descendants (an admin sees every instance). */
    public List<Instance> list() {
        return call("GET", "api/v1/instances", null, new TypeReference<List<Instance>>() { });
    }

    /** One of the caller's instances, by name. */
    public Instance info(String name) {
        return call("GET", "api/v1/instances/" + seg(name), null, Instance.class);
    }

    /** Asks for the destruction of one of the caller's instances (and, by the nodes, of its children). */
    public Instance remove(String name) {
        return call("DELETE", "api/v1/instances/" + seg(name), null, Instance.class);
    }

    /** Admin only: a new API token for user {@code name} (created on first use), shown once. */
    public UserToken createUserToken(String name, boolean admin) {
        return call("POST", "api/v1/users/" + seg(name) + "/tokens", new TokenRequest(admin), UserToken.class);
    }

    /** The nodes, with their free partitions: every node for an admin, else those the caller owns or may use. */
    public List<NodeSummary> nodes() {
        return call("GET", "api/v1/nodes", null, new TypeReference<List<NodeSummary>>() { });
    }

    /** Admin or owner: a disabled node gets no new instances (what it hosts stays). */
    public NodeSummary setNodeDisabled(String node, boolean disabled) {
        return call("PATCH", "api/v1/nodes/" + seg(node), new NodeUpdate(disabled), NodeSummary.class);
    }

    /** Admin or owner: lets {@code user} ({@code "*"}: every user) allocate on {@code node}. */
    public void shareNode(String node, String user) {
        call("PUT", "api/v1/nodes/" + seg(node) + "/shares/" + seg(user), Map.of(), Void.class);
    }

    /** Admin or owner: withdraws a share (instances already there stay). */
    public void unshareNode(String node, String user) {
        call("DELETE", "api/v1/nodes/" + seg(node) + "/shares/" + seg(user), null, Void.class);
    }

    /** Admin: forgets a node, its supplies and partitions, the instances it hosts (their children elsewhere are destroyed) and its secret. */
    public NodeDeletion deleteNode(String node) {
        return call("DELETE", "api/v1/nodes/" + seg(node), null, NodeDeletion.class);
    }

    /** Admin: every credential (never the token itself); a user: its own API tokens. {@code kind} null for all kinds. */
    public List<TokenInfo> tokens(String kind) {
        return call("GET", "api/v1/tokens" + (kind == null ? "" : "?kind=" + seg(kind)), null,
                new TypeReference<List<TokenInfo>>() { });
    }

    /** A user: a link that opens one web UI session for this user, once, within minutes ({@link LoginLink}). */
    public org.slapgrid.slap.model.LoginLink createLoginLink() {
        org.slapgrid.slap.model.LoginLink link = call("POST", "api/v1/login-links", Map.of(), org.slapgrid.slap.model.LoginLink.class);
        return new org.slapgrid.slap.model.LoginLink(base.resolve(link.url()).toString(), link.expiresAt());
    }

    /** Admin (or the user for its own API token): the token stops working at once on this master. */
    public void revokeToken(String id) {
        call("DELETE", "api/v1/tokens/" + seg(id), null, Void.class);
    }

    /** Admin: what user {@code name} may do; null fields are left unchanged. */
    public UserAccount updateUser(String name, AccountUpdate update) {
        return call("PUT", "api/v1/users/" + seg(name), update, UserAccount.class);
    }

    /** Admin, or the user itself: what the user may do and how many partitions it holds. */
    public UserAccount user(String name) {
        return call("GET", "api/v1/users/" + seg(name), null, UserAccount.class);
    }

    // ---------------------------------------------------------------- clusters (docs/clusters.md)

    /** Creates a cluster and places its members (201); refused 409 when a member cannot be placed. */
    public ClusterInfo createCluster(ClusterRequest request) {
        return call("POST", "api/v1/clusters", request, ClusterInfo.class);
    }

    /** The caller's clusters (an admin: every cluster); {@code detailed} adds every member. */
    public List<ClusterInfo> clusters(boolean detailed) {
        return call("GET", "api/v1/clusters" + (detailed ? "?detailed=true" : ""), null,
                new TypeReference<List<ClusterInfo>>() { });
    }

    /** One cluster with every member. */
    public ClusterInfo cluster(String name) {
        return call("GET", "api/v1/clusters/" + seg(name), null, ClusterInfo.class);
    }

    /** {@code count} more members of {@code role} (422 above its maximum, 409 while busy). */
    public ClusterInfo growCluster(String name, String role, Integer count) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/grow", new ClusterGrow(role, count),
                ClusterInfo.class);
    }

    /** Drops members (422 under a role's minimum or for the primary, 409 while busy). */
    public ClusterInfo shrinkCluster(String name, List<String> members) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/shrink", new ClusterShrink(members),
                ClusterInfo.class);
    }

    /** Drops {@code count} members of {@code role} chosen by the cluster's deletion policy. */
    public ClusterInfo shrinkCluster(String name, String role, Integer count) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/shrink", new ClusterShrink(null, role, count),
                ClusterInfo.class);
    }

    /** Makes {@code member} the primary of a failover cluster (422 over a healthy primary unless {@code force}). */
    public ClusterInfo promoteCluster(String name, String member, boolean force) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/promote", new ClusterPromote(member, force),
                ClusterInfo.class);
    }

    // ---------------------------------------------------------------- metrics and autoscaling (docs/clusters.md)

    /** A node sends samples of its partitions (at most {@link org.slapgrid.slap.model.MetricBatch#MAX_SAMPLES}). */
    public org.slapgrid.slap.model.MetricAnswer sendMetrics(String nodeId, org.slapgrid.slap.model.MetricBatch batch) {
        return call("POST", "api/v1/nodes/" + seg(nodeId) + "/metrics", batch, org.slapgrid.slap.model.MetricAnswer.class);
    }

    /** The series of a cluster's members since {@code since} (epoch ms; null: the last hour), one metric or all (null). */
    public org.slapgrid.slap.model.MetricSeries clusterMetrics(String name, Long since, String metric) {
        return call("GET", "api/v1/clusters/" + seg(name) + "/metrics" + metricQuery(since, metric), null,
                org.slapgrid.slap.model.MetricSeries.class);
    }

    /** The series of one of the user's instances. */
    public org.slapgrid.slap.model.MetricSeries instanceMetrics(String name, Long since, String metric) {
        return call("GET", "api/v1/instances/" + seg(name) + "/metrics" + metricQuery(since, metric), null,
                org.slapgrid.slap.model.MetricSeries.class);
    }

    private static String metricQuery(Long since, String metric) {
        List<String> q = new java.util.ArrayList<>();
        if (since != null) {
            q.add("since=" + since);
        }
        if (metric != null) {
            q.add("metric=" + java.net.URLEncoder.encode(metric, java.nio.charset.StandardCharsets.UTF_8));
        }
        return q.isEmpty() ? "" : "?" + String.join("&", q);
    }

    /** Sets (replaces) the scaling policy of one role of a cluster; answers it with its defaults. */
    public org.slapgrid.slap.model.ScalingPolicy setScalingPolicy(String cluster, org.slapgrid.slap.model.ScalingPolicy policy) {
        return call("PUT", "api/v1/clusters/" + seg(cluster) + "/policies/" + seg(policy.role()), policy,
                org.slapgrid.slap.model.ScalingPolicy.class);
    }

    public List<org.slapgrid.slap.model.ScalingPolicy> scalingPolicies(String cluster) {
        return call("GET", "api/v1/clusters/" + seg(cluster) + "/policies", null,
                new TypeReference<List<org.slapgrid.slap.model.ScalingPolicy>>() { });
    }

    public void deleteScalingPolicy(String cluster, String role) {
        call("DELETE", "api/v1/clusters/" + seg(cluster) + "/policies/" + seg(role), null, Void.class);
    }

    /** Moves the primary (active) role to {@code member} (422 when it is not up, 409 while busy). */
    public ClusterInfo switchCluster(String name, String member) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/switch", new org.slapgrid.slap.model.ClusterSwitch(member),
                ClusterInfo.class);
    }

    /** Destroys every member and forgets the cluster (409 while busy). */
    public ClusterInfo destroyCluster(String name) {
        return call("DELETE", "api/v1/clusters/" + seg(name), null, ClusterInfo.class);
    }

    // ---------------------------------------------------------------- actions by tag (docs/tags.md)

    /** Stops or starts ({@code action}) the services of instance {@code name} that {@code tags} selects. */
    public Instance instanceServices(String name, String action, String tags) {
        return call("POST", "api/v1/instances/" + seg(name) + "/services",
                new org.slapgrid.slap.model.ServiceAction(action, tags), Instance.class);
    }

    /** The same on every member of cluster {@code name}, through each member's node. */
    public ClusterInfo clusterServices(String name, String action, String tags) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/services",
                new org.slapgrid.slap.model.ServiceAction(action, tags), ClusterInfo.class);
    }

    /** Starts a backup of every member (202; the cluster is BACKING_UP until one entry is recorded, or the backup failed). */
    public ClusterInfo backupCluster(String name) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/backup", Map.of(), ClusterInfo.class);
    }

    /** The backups taken of cluster {@code name}, newest first. */
    public List<org.slapgrid.slap.model.ClusterBackup> clusterBackups(String name) {
        return call("GET", "api/v1/clusters/" + seg(name) + "/backups", null,
                new TypeReference<List<org.slapgrid.slap.model.ClusterBackup>>() { });
    }

    public org.slapgrid.slap.model.ClusterBackup backup(String id) {
        return call("GET", "api/v1/backups/" + seg(id), null, org.slapgrid.slap.model.ClusterBackup.class);
    }

    public void deleteBackup(String id) {
        call("DELETE", "api/v1/backups/" + seg(id), null, Void.class);
    }

    /** Restores backup {@code id} into the new cluster {@code name} (201; RESTORING until every member ran etc/restore). */
    public ClusterInfo restoreBackup(String id, String name, List<ClusterRole> roles) {
        return call("POST", "api/v1/backups/" + seg(id) + "/restore", new org.slapgrid.slap.model.ClusterRestore(name, roles),
                ClusterInfo.class);
    }

    /** The cluster's status tree (OpenSVC's aggregation). */
    public org.slapgrid.slap.model.ClusterStatus clusterStatus(String name) {
        return call("GET", "api/v1/clusters/" + seg(name) + "/status", null, org.slapgrid.slap.model.ClusterStatus.class);
    }

    /** Starts a rolling restart (one member at a time, each until its promises are kept again). */
    public ClusterInfo restartCluster(String name) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/restart", Map.of(), ClusterInfo.class);
    }

    /** The cluster's event log, oldest first. */
    public List<org.slapgrid.slap.model.ClusterEvent> clusterEvents(String name) {
        return call("GET", "api/v1/clusters/" + seg(name) + "/events", null,
                new TypeReference<List<org.slapgrid.slap.model.ClusterEvent>>() { });
    }

    // ---------------------------------------------------------------- partition jobs (docs/protocol.md)

    /** A node reports a job of one of its partitions: RUNNING when it starts, then DONE or FAILED once. */
    public void reportJob(String nodeId, String partition, String jobId, org.slapgrid.slap.model.JobReport report) {
        call("PUT", partitionPath(nodeId, partition) + "/jobs/" + seg(jobId), report, Void.class);
    }

    /** A node reports a node-level job (one not for a partition) as it reports a partition's: RUNNING, then its end once. */
    public void reportNodeJob(String nodeId, String jobId, org.slapgrid.slap.model.JobReport report) {
        call("PUT", "api/v1/nodes/" + seg(nodeId) + "/jobs/" + seg(jobId), report, Void.class);
    }

    /** A node sends the file a job produced (a backup archive); the master refuses one past its size limit (413). */
    public void uploadJobArtifact(String nodeId, String partition, String jobId, java.nio.file.Path file) {
        HttpRequest r;
        try {
            r = request(partitionPath(nodeId, partition) + "/jobs/" + seg(jobId) + "/artifact")
                    .timeout(Duration.ofHours(1)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        } catch (java.io.FileNotFoundException e) {
            throw new SlapException("cannot read " + file + ": " + e.getMessage(), e);
        }
        read(send(r), json.constructType(Void.class));
    }

    /**
     * A node fetches the file a job works from (a restore's backup part) into {@code target},
     * refusing more than {@code maxBytes}.
     */
    public void downloadJobArtifact(String nodeId, String partition, String jobId, java.nio.file.Path target, long maxBytes) {
        HttpRequest r = request(partitionPath(nodeId, partition) + "/jobs/" + seg(jobId) + "/artifact")
                .header("Accept", "application/octet-stream").timeout(Duration.ofHours(1)).GET().build();
        HttpResponse<java.io.InputStream> answer;
        try {
            answer = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SlapException("cannot reach the master at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlapException("interrupted while calling the master", e);
        }
        try (java.io.InputStream in = answer.body()) {
            if (answer.statusCode() >= 400) {
                String body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                read(new StringResponse(answer, body), json.constructType(Void.class));
                return;
            }
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(target)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new SlapException(413, "too_large", "the artifact of job " + jobId + " is larger than " + maxBytes + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            throw new SlapException("cannot download the artifact of job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** An error answer read whole, so {@link #read} can turn it into a SlapException. */
    private record StringResponse(HttpResponse<?> of, String body) implements HttpResponse<String> {
        public int statusCode() { return of.statusCode(); }
        public HttpRequest request() { return of.request(); }
        public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return of.headers(); }
        public Optional<javax.net.ssl.SSLSession> sslSession() { return of.sslSession(); }
        public URI uri() { return of.uri(); }
        public HttpClient.Version version() { return of.version(); }
    }

    /** Resizes one member (memory like 512M, cpu like 0.5; 0 for the node's default): answers with task RESIZING. */
    public ClusterInfo resizeMember(String name, String member, String memory, Double cpu) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/resize",
                new org.slapgrid.slap.model.ClusterResize(member, memory, cpu), ClusterInfo.class);
    }

    /** Gives one member a data disk at srv/disk/DISK of {@code size} (like 1G): answers with task ATTACHING_DISK. */
    public ClusterInfo attachDisk(String name, String member, String disk, String size) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/disk-attach",
                new org.slapgrid.slap.model.ClusterDisk(member, disk, size), ClusterInfo.class);
    }

    /** Removes one member's data disk (after its pre-scale): answers with task DETACHING_DISK. */
    public ClusterInfo detachDisk(String name, String member, String disk) {
        return call("POST", "api/v1/clusters/" + seg(name) + "/disk-detach",
                new org.slapgrid.slap.model.ClusterDisk(member, disk, null), ClusterInfo.class);
    }

    /** The cluster's deletion policy (criteria, hook timeout, webhook; never its secret). */
    public org.slapgrid.slap.model.DeletionPolicy deletionPolicy(String name) {
        return call("GET", "api/v1/clusters/" + seg(name) + "/deletion-policy", null, org.slapgrid.slap.model.DeletionPolicy.class);
    }

    /** Sets the deletion policy (null fields unchanged; an empty webhook URL removes it); a new webhook's secret is in the answer. */
    public org.slapgrid.slap.model.DeletionPolicy setDeletionPolicy(String name, org.slapgrid.slap.model.DeletionPolicy policy) {
        return call("PUT", "api/v1/clusters/" + seg(name) + "/deletion-policy", policy, org.slapgrid.slap.model.DeletionPolicy.class);
    }

    /** Completes a lifecycle hook (202): with the member's instance secret or the cluster owner's token. */
    public void completeLifecycle(String cluster, String token) {
        call("POST", "api/v1/clusters/" + seg(cluster) + "/actions", new org.slapgrid.slap.model.ClusterAction(
                new org.slapgrid.slap.model.ClusterAction.CompleteLifecycle(token)), Map.class);
    }

    /** The calling instance's lifecycle notifications; waits up to {@code waitSeconds} (at most 20) for one. */
    public List<org.slapgrid.slap.model.LifecycleNotification> lifecycleQueue(int waitSeconds) {
        return call("GET", "api/v1/instance/lifecycle?wait=" + Math.max(0, Math.min(20, waitSeconds)), null,
                new TypeReference<List<org.slapgrid.slap.model.LifecycleNotification>>() { });
    }

    // ---------------------------------------------------------------- transport

    private static String partitionPath(String nodeId, String partition) {
        return "api/v1/nodes/" + seg(nodeId) + "/partitions/" + seg(partition);
    }

    /** One URL path segment, percent-encoded (names may hold spaces or slashes). */
    static String seg(String s) {
        return URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The compliance calls (docs/compliance.md), on this client's master and credential. */
    public ComplianceApi compliance() {
        return new ComplianceApi(this);
    }

    <T> T call(String method, String path, Object body, Class<T> type) {
        return call(method, path, body, json.constructType(type));
    }

    <T> T call(String method, String path, Object body, TypeReference<T> type) {
        return call(method, path, body, json.constructType(type));
    }

    private <T> T call(String method, String path, Object body, JavaType type) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request: " + e.getOriginalMessage(), e);
        }
        HttpRequest.Builder rb = request(path).timeout(timeout).method(method, publisher);
        if (body != null) {
            rb.header("Content-Type", JSON);
        }
        return read(send(rb.build()), type);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path)).header("Accept", JSON);
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        return rb;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SlapException("cannot reach the master at " + base + ": " + (e.getMessage() != null ? e.getMessage()
                    : e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : "connection refused or closed (" + e.getClass().getSimpleName() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlapException("interrupted while calling the master", e);
        }
    }

    private <T> T read(HttpResponse<String> r, JavaType type) {
        int status = r.statusCode();
        if (status >= 400) {
            ApiError err;
            try {
                err = json.readValue(r.body(), ApiError.class);
            } catch (IOException e) {
                err = new ApiError("http_" + status, "HTTP " + status + " from " + r.uri());
            }
            throw new SlapException(status, err.code(), err.message());
        }
        if (type.getRawClass() == Void.class || r.body() == null || r.body().isEmpty()) {
            return null;
        }
        try {
            return json.readValue(r.body(), type);
        } catch (IOException e) {
            throw new SlapException(status, "bad_answer", "the master's answer to " + r.uri() + " is not the expected JSON: " + e.getMessage());
        }
    }
}
