package org.slapgrid.master.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.AccountService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.CredentialStore;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.store.StoreException;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.AccountUpdate;
import org.slapgrid.slap.model.ApiError;
import org.slapgrid.slap.model.BangReport;
import org.slapgrid.slap.model.ConnectionParameters;
import org.slapgrid.slap.model.FormatReport;
import org.slapgrid.slap.model.InstanceReport;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.NodeRegistration;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.NodeUpdate;
import org.slapgrid.slap.model.SoftwareReport;
import org.slapgrid.slap.model.SupplyRequest;
import org.slapgrid.slap.model.TokenRequest;
import org.slapgrid.slap.model.LoginLink;
import org.slapgrid.slap.model.UserToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes of docs/protocol.md. Every route under /api/v1 is authenticated; handlers only
 * translate HTTP to service calls, so any number of masters can serve one database.
 */
public final class MasterApi {
    private static final Logger LOG = LoggerFactory.getLogger(MasterApi.class);
    static final String PRINCIPAL = "slapgrid.principal";
    /** Longest long-poll a node may ask for, in seconds. */
    static final int MAX_WAIT_SECONDS = 60;

    private final NodeService nodes;
    private final InstanceService instances;
    private final AccountService accounts;
    private final Authenticator auth;
    private final CredentialStore credentials;
    private final LongPoll longPoll;
    private final ExecutorService pollExecutor;
    private final ObjectMapper reader = Json.strict();
    private final ObjectMapper writer = Json.lenient();
    private final long maxBody;

    public MasterApi(NodeService nodes, InstanceService instances, AccountService accounts, CredentialStore credentials,
                     ChangeNotifier notifier, Duration recheck, Duration authCacheTtl, long maxBodyBytes) {
        this.nodes = nodes;
        this.instances = instances;
        this.accounts = accounts;
        this.credentials = credentials;
        this.auth = new Authenticator(credentials, authCacheTtl);
        this.pollExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "slapgrid-longpoll");
            t.setDaemon(true);
            return t;
        });
        this.longPoll = new LongPoll(notifier, recheck, pollExecutor);
        this.maxBody = maxBodyBytes;
    }

    /**
     * Adds the routes and error handling to a Javalin configuration (Javalin 7 takes every route
     * up front, in {@code Javalin.create(c -> api.install(c.routes))}).
     */
    public void install(RoutesConfig app) {
        app.before("/api/*", ctx -> ctx.attribute(PRINCIPAL, auth.authenticate(ctx.header("Authorization"))));

        app.post("/api/v1/nodes", ctx -> created(ctx, nodes.register(caller(ctx), body(ctx, NodeRegistration.class))));
        app.get("/api/v1/nodes", ctx -> json(ctx, nodes.list(caller(ctx))));
        app.get("/api/v1/nodes/{node}", this::nodeInfo);
        app.patch("/api/v1/nodes/{node}", ctx -> json(ctx, nodes.update(caller(ctx), ctx.pathParam("node"), body(ctx, NodeUpdate.class))));
        app.delete("/api/v1/nodes/{node}", ctx -> {
            json(ctx, nodes.delete(caller(ctx), ctx.pathParam("node")));
            auth.forgetAll(); // its secret and its instances' secrets stop working at once
            rendered.invalidate(ctx.pathParam("node"));
        });
        app.put("/api/v1/nodes/{node}/shares/{user}", ctx -> {
            nodes.share(caller(ctx), ctx.pathParam("node"), ctx.pathParam("user"), true);
            ctx.status(204);
        });
        app.delete("/api/v1/nodes/{node}/shares/{user}", ctx -> {
            nodes.share(caller(ctx), ctx.pathParam("node"), ctx.pathParam("user"), false);
            ctx.status(204);
        });
        app.put("/api/v1/nodes/{node}/partitions", ctx -> {
            FormatReport report = body(ctx, FormatReport.class);
            nodes.reportFormat(caller(ctx), ctx.pathParam("node"), report.partitions(), report.addresses());
            ctx.status(204);
        });
        app.post("/api/v1/nodes/{node}/software", ctx -> {
            nodes.reportSoftware(caller(ctx), ctx.pathParam("node"), body(ctx, SoftwareReport.class));
            ctx.status(204);
        });
        app.post("/api/v1/nodes/{node}/partitions/{partition}/state", ctx -> {
            Principal caller = caller(ctx);
            instances.report(caller, ctx.pathParam("node"), ctx.pathParam("partition"), body(ctx, InstanceReport.class));
            nodes.heardFrom(caller, ctx.pathParam("node"));
            ctx.status(204);
        });
        app.put("/api/v1/nodes/{node}/partitions/{partition}/connection", ctx -> {
            instances.publish(caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"),
                    body(ctx, ConnectionParameters.class).parameters());
            ctx.status(204);
        });
        app.put("/api/v1/nodes/{node}/partitions/{partition}/status", ctx -> {
            instances.reportStatus(caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"), body(ctx, PartitionStatus.class));
            ctx.status(204);
        });
        app.post("/api/v1/nodes/{node}/partitions/{partition}/bang", ctx -> {
            instances.bang(caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"), body(ctx, BangReport.class).message());
            ctx.status(204);
        });
        app.post("/api/v1/nodes/{node}/partitions/{partition}/secret",
                ctx -> json(ctx, instances.issueSecret(caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"))));

        app.get("/api/v1/instance", ctx -> json(ctx, instances.self(caller(ctx))));
        app.post("/api/v1/instance/children", ctx -> request(ctx, Principal.Kind.INSTANCE));
        app.put("/api/v1/instance/connection", ctx -> {
            instances.publishSelf(caller(ctx), body(ctx, ConnectionParameters.class).parameters());
            ctx.status(204);
        });
        app.post("/api/v1/instance/bang", ctx -> {
            instances.bangSelf(caller(ctx), body(ctx, BangReport.class).message());
            ctx.status(204);
        });

        app.post("/api/v1/users/{name}/tokens", ctx -> {
            boolean asAdmin = body(ctx, TokenRequest.class).admin();
            String name = ctx.pathParam("name");
            String token = credentials.createUserToken(caller(ctx), name, asAdmin);
            created(ctx, new UserToken(CredentialStore.idOf(token), name, asAdmin, token));
        });
        app.get("/api/v1/users/{name}", ctx -> json(ctx, accounts.get(caller(ctx), ctx.pathParam("name"))));
        app.put("/api/v1/users/{name}", ctx -> json(ctx, accounts.update(caller(ctx), ctx.pathParam("name"),
                body(ctx, AccountUpdate.class))));
        app.post("/api/v1/login-links", ctx -> {
            // Logged nowhere but in the answer: the token is in the fragment, so the browser never sends it in a URL.
            String token = credentials.createLoginLink(caller(ctx), CredentialStore.LOGIN_LINK_TTL);
            created(ctx, new LoginLink("ui/login#once=" + token,
                    System.currentTimeMillis() + CredentialStore.LOGIN_LINK_TTL.toMillis()));
        });
        app.get("/api/v1/tokens", ctx -> json(ctx, credentials.list(caller(ctx), ctx.queryParam("kind"))));
        app.delete("/api/v1/tokens/{id}", ctx -> {
            credentials.revoke(caller(ctx), ctx.pathParam("id"));
            auth.forgetAll(); // the revoked token fails from the next call on, not after the cache's ttl
            ctx.status(204);
        });
        app.post("/api/v1/supplies", ctx -> {
            nodes.supply(caller(ctx), body(ctx, SupplyRequest.class));
            ctx.status(204);
        });
        app.post("/api/v1/instances", ctx -> request(ctx, Principal.Kind.USER));
        app.get("/api/v1/instances", ctx -> json(ctx, instances.list(caller(ctx))));
        app.get("/api/v1/instances/{name}", ctx -> json(ctx, instances.info(caller(ctx), ctx.pathParam("name"))));
        app.get("/api/v1/instances/{name}/status", ctx -> json(ctx, instances.status(caller(ctx), ctx.pathParam("name"))));
        app.post("/api/v1/instances/{name}/services", ctx -> json(ctx, instances.services(caller(ctx), ctx.pathParam("name"),
                body(ctx, org.slapgrid.slap.model.ServiceAction.class))));
        app.delete("/api/v1/instances/{name}", ctx -> json(ctx, instances.remove(caller(ctx), ctx.pathParam("name"))));

        app.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            error(ctx, e.status(), e.code(), e.getMessage());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), switch (e.getStatus()) {
            case 404 -> "no_route";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            default -> "http_" + e.getStatus();
        }, e.getMessage()));
        app.exception(StoreException.class, (e, ctx) -> {
            LOG.error("store failure on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "store_error", "the master's database failed; see the master's log");
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal_error", "unexpected failure; see the master's log");
        });
    }

    /** Waits, without a thread, for a change of {@code key} (a node id, or another key the change notifier wakes). */
    java.util.concurrent.CompletableFuture<Long> awaitKey(String key, long known, Duration wait,
                                                          java.util.function.Supplier<OptionalLong> version) {
        return longPoll.await(key, known, wait, version);
    }

    /** Stops the long-poll workers. */
    public void close() {
        pollExecutor.shutdownNow();
    }

    /** A user's request (/instances) or an instance's request for a child (/instance/children). */
    private void request(Context ctx, Principal.Kind kind) {
        if (caller(ctx).kind() != kind) {
            throw ApiException.forbidden(kind == Principal.Kind.USER ? "this call needs a user's API token"
                    : "this call needs an instance's secret");
        }
        InstanceService.RequestResult r = instances.request(caller(ctx), body(ctx, InstanceRequest.class));
        ctx.status(r.created() ? 201 : 200);
        write(ctx, r.instance());
    }

    /**
     * Node information with an ETag. With {@code If-None-Match} equal to the current version and
     * {@code wait=N}, the answer waits up to N seconds for a change (304 if none).
     */
    private void nodeInfo(Context ctx) {
        Principal caller = caller(ctx);
        String node = ctx.pathParam("node");
        int wait = parseWait(ctx.queryParam("wait"));
        OptionalLong known = parseEtag(ctx.header("If-None-Match"));
        if (known.isEmpty() || wait == 0) {
            answerNode(ctx, caller, node, known);
            return;
        }
        NodeService.requireNode(caller, node); // authorise before any waiting
        long current = nodes.version(node).orElseThrow(() -> new ApiException(404, "unknown_node", "no node '" + node + "'"));
        if (known.getAsLong() != current) {
            answerNode(ctx, caller, node, known);
            return;
        }
        ctx.future(() -> longPoll.await(node, known.getAsLong(), Duration.ofSeconds(wait), () -> nodes.version(node))
                .thenAccept(v -> answerNode(ctx, caller, node, known)));
    }

    private void answerNode(Context ctx, Principal caller, String node, OptionalLong known) {
        var info = nodes.info(caller, node);
        ctx.header("ETag", "\"" + info.version() + "\"");
        ctx.header("Cache-Control", "no-cache");
        if (known.isPresent() && known.getAsLong() == info.version()) {
            ctx.status(304);
            return;
        }
        // Polls far outnumber changes: keep the encoded answer of each node's current version
        // (the same NodeInfo object while it is current: NodeService caches it per version).
        Rendered r = rendered.getIfPresent(node);
        if (r == null || r.info() != info) {
            try {
                r = new Rendered(info, writer.writeValueAsBytes(info));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode the node information", e);
            }
            rendered.put(node, r);
        }
        ctx.contentType("application/json").result(r.json());
    }

    private record Rendered(NodeInfo info, byte[] json) {
    }

    /**
     * One encoded answer per polling node: bounded, and an entry nobody polls any more (a node
     * deleted through another master, or gone quiet) leaves after {@link #RENDERED_IDLE}, so it
     * never outgrows the fleet.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Rendered> rendered =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(RENDERED_MAX)
                    .expireAfterAccess(RENDERED_IDLE).build();
    private static final long RENDERED_MAX = 100_000;
    private static final Duration RENDERED_IDLE = Duration.ofMinutes(10);

    static int parseWait(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        try {
            int w = Integer.parseInt(s);
            if (w < 0) {
                throw new NumberFormatException();
            }
            return Math.min(w, MAX_WAIT_SECONDS);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid_request", "wait must be a number of seconds (0-" + MAX_WAIT_SECONDS + ")");
        }
    }

    static OptionalLong parseEtag(String s) {
        if (s == null) {
            return OptionalLong.empty();
        }
        String v = s.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // an ETag we never issued: answer in full
        }
    }

    /** The authenticated principal of this API request (set before every {@code /api/} route). */
    static Principal caller(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** A service call on the caller, the {@code {name}} of the path and the request's JSON body. */
    @FunctionalInterface
    interface NamedCall<T> {
        Object apply(Principal caller, String name, T body);
    }

    /**
     * The handler of a route on a named resource that takes a JSON body and answers with the JSON
     * of one service call (a cluster's grow, shrink, promote..., a ruleset's update): the shape
     * those routes share, built once.
     */
    <T> Handler callWithBody(Class<T> bodyType, NamedCall<T> call) {
        return ctx -> json(ctx, call.apply(caller(ctx), ctx.pathParam("name"), body(ctx, bodyType)));
    }

    void created(Context ctx, Object value) {
        ctx.status(201);
        write(ctx, value);
    }

    void json(Context ctx, Object value) {
        write(ctx, value);
    }

    private void write(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(writer.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the answer", e);
        }
    }

    private void error(Context ctx, int status, String code, String message) {
        ctx.status(status);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"slapgrid\"");
        }
        write(ctx, new ApiError(code, message));
    }

    /**
     * Reads and drops an oversized body of moderate size before the 413 is sent. Jetty closes a
     * connection whose request content was left unread, and a client still writing its body then sees
     * the connection reset instead of the refusal; a body past {@code DRAIN_FACTOR} times the limit is
     * not worth reading, and such a client may see the reset.
     */
    private void drainOversized(Context ctx) {
        if (ctx.contentLength() > DRAIN_FACTOR * maxBody) {
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static final long DRAIN_FACTOR = 4;

    /** Reads a JSON body of at most {@code maxBody} bytes into {@code type}, refusing unknown fields. */
    <T> T body(Context ctx, Class<T> type) {
        if (ctx.contentLength() > maxBody) {
            drainOversized(ctx);
            throw new ApiException(413, "too_large", "the request body is larger than " + maxBody + " bytes");
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes((int) maxBody + 1);
        } catch (IOException e) {
            throw new ApiException(400, "bad_body", "cannot read the request body: " + e.getMessage());
        }
        if (bytes.length > maxBody) {
            throw new ApiException(413, "too_large", "the request body is larger than " + maxBody + " bytes");
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "bad_json", "a JSON body is required");
        }
        try {
            T value = reader.readValue(bytes, type);
            if (value == null) {
                throw new ApiException(400, "bad_json", "a JSON object is required, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, "bad_json", "unknown field '" + e.getPropertyName() + "' (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (InvalidFormatException e) {
            throw new ApiException(400, "bad_json", "field " + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StreamConstraintsException limit) {
                    throw new ApiException(422, "limit_exceeded", "the body is past a limit of the JSON reader: "
                            + firstLine(limit.getOriginalMessage()));
                }
            }
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new ApiException(400, "bad_json", "the body is not valid JSON for this call: "
                    + firstLine(e.getOriginalMessage()) + where);
        } catch (IOException e) {
            throw new ApiException(400, "bad_json", "cannot read the request body: " + e.getMessage());
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var r : e.getPath()) {
            sb.append(r.getFieldName() != null ? (sb.length() > 0 ? "." : "") + r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    /** Jackson's first message line, without its "[Source: ...]" noise. */
    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.replaceAll("\\s*\\(start marker at \\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]\\)", " (opened at line $1, column $2)");
    }
}
