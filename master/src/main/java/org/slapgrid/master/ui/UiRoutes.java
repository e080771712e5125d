package org.slapgrid.master.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.CredentialStore;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.service.ParameterSchemas;
import org.slapgrid.master.service.WebViews;
import org.slapgrid.master.store.StoreException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeSummary;
import org.slapgrid.slap.model.RequestedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI under /ui/: server-rendered pages (JTE), htmx for partial updates, server-sent
 * events for live ones. Every page needs a session (a user's API token exchanged at /ui/login);
 * every POST needs the session's CSRF token; no page holds an inline script (the CSP forbids
 * them), and a connection parameter's value reaches the page only when the user reveals it.
 * Handlers translate HTTP to the same service calls as the API, so the UI can do nothing the
 * user's token could not.
 */
public final class UiRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UiRoutes.class);
    static final Duration SESSION_MAX_AGE = Duration.ofHours(12);
    /** A node not heard from for this long is shown down (a daemon polls at least every minute). */
    static final long NODE_DOWN_AFTER_MS = 3 * 60_000;
    private static final Pattern SAFE_NEXT = Pattern.compile("/ui/[A-Za-z0-9/_.\\-]*");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** Swagger UI sets style attributes in its markup: the API docs page alone allows inline styles (never scripts). */
    private static final String CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    private final NodeService nodes;
    private final InstanceService instances;
    private final WebViews views;
    private final Sessions sessions;
    private final Templates templates = new Templates();
    private final Assets assets = new Assets();
    private final LiveFeed live;
    private final ClusterPages clusterPages;

    public UiRoutes(NodeService nodes, InstanceService instances, ClusterPages clusterPages, CredentialStore credentials,
                    WebViews views) {
        this.clusterPages = clusterPages;
        this.nodes = nodes;
        this.instances = instances;
        this.views = views;
        this.sessions = new Sessions(credentials, SESSION_MAX_AGE);
        this.live = new LiveFeed(views, this::activityLine, 1000);
    }

    /** Told after a change commits in this master, so live pages see it at once. */
    public ChangeListener listener() {
        return ids -> live.poke();
    }

    /** Told after a node's status report commits in this master: the instance's live page re-reads its status tree. */
    public InstanceService.StatusListener statusListener() {
        return live::statusReported;
    }

    @FunctionalInterface
    private interface Page {
        void handle(Context ctx, UiSession session) throws Exception;
    }

    /** Adds the UI's routes to {@code app}; the API's routes are untouched. */
    public void install(RoutesConfig app) {
        app.get("/", ctx -> redirect(ctx, "/ui/"));
        app.get("/ui/static/{file}", assets::serve);
        app.get("/ui/login", this::loginPage);
        app.post("/ui/login", this::login);
        app.post("/ui/logout", page((ctx, s) -> {
            sessions.logout(ctx, s);
            redirect(ctx, "/ui/login");
        }));
        app.get("/ui/", page(this::overview));
        app.get("/ui/overview/live", page(this::overviewLive));
        app.get("/ui/charts/bangs.json", page(this::bangChart));
        app.get("/ui/nodes", page(this::nodesPage));
        app.get("/ui/instances", page(this::instanceList));
        app.get("/ui/instances/{id}", page(this::instancePage));
        app.get("/ui/instances/{id}/live", page(this::instanceLive));
        app.get("/ui/instances/{id}/edit", page(this::editForm));
        app.post("/ui/instances/{id}/reveal", page(this::reveal));
        app.post("/ui/instances/{id}/state", page(this::changeState));
        app.get("/ui/request", page(this::requestForm));
        app.post("/ui/request", page(this::submitRequest));
        app.get("/ui/clusters", page((ctx, s) -> html(ctx, 200, "clusters.jte", new Pages.Frame("Clusters", "clusters", s),
                clusterPages.list(s.user()))));
        app.get("/ui/clusters/{name}", page(this::clusterPage));
        app.get("/ui/clusters/{name}/live", page(this::clusterLive));
        app.get("/ui/clusters/{name}/metrics.json", page((ctx, s) -> ctx.contentType("application/json").result(
                org.slapgrid.slap.Json.lenient().writeValueAsString(clusterPages.chart(s.user(), ctx.pathParam("name"),
                        Optional.ofNullable(ctx.queryParam("metric")).orElse("cpu"))))));
        app.post("/ui/clusters/{name}/{operation}", page(this::clusterOperation));
        app.get("/ui/audit", page(this::auditPage));
        app.get("/ui/api-docs", page((ctx, s) -> {
            ctx.header("Content-Security-Policy", CSP_DOCS);
            html(ctx, 200, "apidocs.jte", new Pages.Frame("API", "api", s), null);
        }));
        app.sse("/ui/events", client -> {
            Optional<UiSession> s = sessions.current(client.ctx());
            if (s.isEmpty()) {
                client.ctx().status(401);
                client.close();
                return;
            }
            live.add(s.get().user(), client);
        });
        app.get("/ui/<rest>", page((ctx, s) -> problem(ctx, s, 404, "Not found", "There is no page " + ctx.path() + ".")));
    }

    /** How many browsers follow the live feed (for tests and monitoring). */
    public int liveClients() {
        return live.clients();
    }

    @Override
    public void close() {
        live.close();
    }

    // --- sessions ---------------------------------------------------------------------------

    private void loginPage(Context ctx) {
        secureHeaders(ctx);
        if (sessions.current(ctx).isPresent()) {
            redirect(ctx, "/ui/");
            return;
        }
        html(ctx, 200, "login.jte", new Pages.Frame("Log in", "", null), new Pages.Login(null, ctx.queryParam("expired") != null));
    }

    private void login(Context ctx) {
        secureHeaders(ctx);
        if (!sameOrigin(ctx)) {
            html(ctx, 403, "login.jte", new Pages.Frame("Log in", "", null), new Pages.Login("This form must be sent from this site.", false));
            return;
        }
        String once = ctx.formParam("once");
        if (once != null) {
            if (sessions.loginOnce(ctx, once).isEmpty()) {
                html(ctx, 401, "login.jte", new Pages.Frame("Log in", "", null), new Pages.Login("This login link was used"
                        + " already or has expired: a link opens one session, within "
                        + CredentialStore.LOGIN_LINK_TTL.toMinutes() + " minutes. Get a new one with `slapos token login-link`,"
                        + " or log in with your API token.", false));
                return;
            }
            redirect(ctx, "/ui/");
            return;
        }
        Optional<Principal> caller = sessions.login(ctx, ctx.formParam("token"));
        if (caller.isEmpty()) {
            html(ctx, 401, "login.jte", new Pages.Frame("Log in", "", null),
                    new Pages.Login("That is not a valid user API token.", false));
            return;
        }
        String next = ctx.formParam("next");
        redirect(ctx, next != null && SAFE_NEXT.matcher(next).matches() && !next.contains("..") ? next : "/ui/");
    }

    /** Wraps a page: security headers, session (else to the login page), CSRF on POST, errors as pages. */
    private io.javalin.http.Handler page(Page page) {
        return ctx -> {
            secureHeaders(ctx);
            Optional<UiSession> s = sessions.current(ctx);
            if (s.isEmpty()) {
                String login = "/ui/login?expired=1";
                if (ctx.header("HX-Request") != null) {
                    ctx.header("HX-Redirect", login).status(401);
                } else {
                    redirect(ctx, login);
                }
                return;
            }
            if (!"GET".equals(ctx.req().getMethod())) {
                if (!sameOrigin(ctx) || !Sessions.csrfMatches(ctx, s.get())) {
                    problem(ctx, s.get(), 403, "Refused", "This request did not carry this page's CSRF token; reload the page and try again.");
                    return;
                }
            }
            try {
                page.handle(ctx, s.get());
            } catch (ApiException e) {
                problem(ctx, s.get(), e.status(), switch (e.status()) {
                    case 403 -> "Not yours";
                    case 404 -> "Not found";
                    case 409 -> "Conflict";
                    default -> "Refused";
                }, e.getMessage());
            } catch (StoreException e) {
                LOG.error("store failure on {} {}", ctx.method(), ctx.path(), e);
                problem(ctx, s.get(), 500, "The master failed", "Its database failed; see the master's log.");
            }
        };
    }

    private static void secureHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin"); // not no-referrer: browsers then send "Origin: null" on our own forms
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }

    /** A state-changing request from another site is refused even before its CSRF token is checked. */
    private static boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) { // every current browser sends it, and a page cannot forge it
            return site.equals("same-origin") || site.equals("none");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true; // not a browser's cross-site request; the CSRF token still decides
        }
        String host = ctx.header("Host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    // --- pages ------------------------------------------------------------------------------

    private void overview(Context ctx, UiSession s) {
        html(ctx, 200, "overview.jte", new Pages.Frame("Overview", "overview", s), overviewModel(s.user()));
    }

    private void overviewLive(Context ctx, UiSession s) {
        html(ctx, 200, "overview-live.jte", null, overviewModel(s.user()));
    }

    private Pages.Overview overviewModel(Principal caller) {
        List<Pages.NodeRow> rows = nodeRows(caller, false);
        long up = rows.stream().filter(Pages.NodeRow::up).count();
        List<Instance> all = instances.list(caller);
        Map<String, Long> byState = new LinkedHashMap<>();
        for (String st : List.of("started", "stopped", "applying", "error", "destroying", "waiting")) {
            byState.put(st, 0L);
        }
        for (Instance i : all) {
            byState.merge(stateOf(i), 1L, Long::sum);
        }
        List<Pages.Count> counts = byState.entrySet().stream().map(e -> new Pages.Count(e.getKey(), e.getValue(), e.getKey())).toList();
        List<Instance> errors = all.stream().filter(i -> i.reportedState() == InstanceState.ERROR).limit(10).toList();
        return new Pages.Overview(rows, up, rows.size() - up, counts, all.size(), views.recentBangs(caller, 10), errors,
                views.audit(caller, 0, 12));
    }

    /** One word for an instance's situation: what the node last did, or what it has yet to do. */
    public static String stateOf(Instance i) {
        if (i.requestedState() == RequestedState.DESTROYED) {
            return "destroying";
        }
        if (i.reportedState() == InstanceState.ERROR) {
            return "error";
        }
        if (i.reportedState() == null) {
            return "waiting";
        }
        if (i.reportedTimestamp() != null && i.reportedTimestamp() != i.timestamp()
                || !i.reportedState().json().equals(i.requestedState().json())) {
            return "applying";
        }
        return i.reportedState().json();
    }

    private List<Pages.NodeRow> nodeRows(Principal caller, boolean withSoftware) {
        long now = System.currentTimeMillis();
        List<Pages.NodeRow> rows = new ArrayList<>();
        for (NodeSummary n : nodes.list(caller)) {
            boolean up = n.lastContact() != null && now - n.lastContact() < NODE_DOWN_AFTER_MS;
            rows.add(withSoftware ? new Pages.NodeRow(n, up, views.supplies(caller, n.id()),
                    Text.addressRange(views.partitionAddresses(caller, n.id())))
                    : new Pages.NodeRow(n, up, List.of(), null));
        }
        return rows;
    }

    private void bangChart(Context ctx, UiSession s) {
        long hour = 3_600_000;
        long now = System.currentTimeMillis() / hour * hour;
        long[] counts = new long[24];
        for (WebViews.Bang b : views.recentBangs(s.user(), 5000)) {
            int slot = (int) ((now - b.at() / hour * hour) / hour);
            if (slot >= 0 && slot < 24) {
                counts[23 - slot]++;
            }
        }
        StringBuilder t = new StringBuilder();
        StringBuilder n = new StringBuilder();
        for (int k = 0; k < 24; k++) {
            t.append(k == 0 ? "" : ",").append((now - (23 - k) * hour) / 1000);
            n.append(k == 0 ? "" : ",").append(counts[k]);
        }
        ctx.contentType("application/json").result("{\"t\":[" + t + "],\"bangs\":[" + n + "]}");
    }

    private void nodesPage(Context ctx, UiSession s) {
        html(ctx, 200, "nodes.jte", new Pages.Frame("Nodes", "nodes", s), nodeRows(s.user(), true));
    }

    private void instanceList(Context ctx, UiSession s) {
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        String state = Optional.ofNullable(ctx.queryParam("state")).orElse("");
        List<Instance> all = instances.list(s.user());
        List<Pages.TreeRow> rows = tree(all).stream()
                .filter(r -> q.isEmpty() || matches(r.instance(), q))
                .filter(r -> state.isEmpty() || stateOf(r.instance()).equals(state))
                .toList();
        Pages.InstanceList model = new Pages.InstanceList(rows, all.size(), q, state, views.releases(s.user()));
        if ("rows".equals(ctx.queryParam("part"))) {
            html(ctx, 200, "instance-rows.jte", null, model);
        } else {
            html(ctx, 200, "instances.jte", new Pages.Frame("Instances", "instances", s), model);
        }
    }

    private static boolean matches(Instance i, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        for (String f : new String[] {i.name(), i.softwareUrl(), i.node(), i.partition(), i.id(), i.owner()}) {
            if (f != null && f.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** Depth-first by requester: each root, then its children under it, by creation order. */
    static List<Pages.TreeRow> tree(List<Instance> all) {
        Map<String, List<Instance>> children = new HashMap<>();
        Set<String> ids = new java.util.HashSet<>();
        all.forEach(i -> ids.add(i.id()));
        List<Instance> roots = new ArrayList<>();
        for (Instance i : all) {
            if (i.parent() == null || !ids.contains(i.parent())) {
                roots.add(i);
            } else {
                children.computeIfAbsent(i.parent(), k -> new ArrayList<>()).add(i);
            }
        }
        List<Pages.TreeRow> out = new ArrayList<>(all.size());
        java.util.Deque<Pages.TreeRow> stack = new java.util.ArrayDeque<>();
        for (int k = roots.size() - 1; k >= 0; k--) {
            stack.push(new Pages.TreeRow(roots.get(k), 0));
        }
        while (!stack.isEmpty()) {
            Pages.TreeRow r = stack.pop();
            out.add(r);
            List<Instance> kids = children.getOrDefault(r.instance().id(), List.of());
            for (int k = kids.size() - 1; k >= 0; k--) {
                stack.push(new Pages.TreeRow(kids.get(k), r.depth() + 1));
            }
        }
        return out;
    }

    private Pages.InstanceDetail detail(UiSession s, String id) {
        Principal caller = s.user();
        Instance i = views.instance(caller, id);
        List<Instance> kids = instances.list(caller).stream().filter(c -> id.equals(c.parent()))
                .sorted(Comparator.comparing(Instance::name)).toList();
        boolean mine = i.requester().equals("user:" + caller.subject());
        String why = mine ? null : i.parent() != null
                ? "Requested by its parent instance " + i.rootName() + ": that instance's profile changes it."
                : "Requested by " + i.requester() + ": only that user changes it.";
        return new Pages.InstanceDetail(i, kids, views.bangsOfTree(caller, i.root(), 20), views.status(caller, i), mine, why);
    }

    private void instancePage(Context ctx, UiSession s) {
        Pages.InstanceDetail d = detail(s, ctx.pathParam("id"));
        html(ctx, 200, "instance.jte", new Pages.Frame(d.instance().name(), "instances", s), d);
    }

    /** The live region of the instance page; once the instance is gone it says so (a 200, so htmx swaps it). */
    private void instanceLive(Context ctx, UiSession s) {
        try {
            html(ctx, 200, "instance-live.jte", null, detail(s, ctx.pathParam("id")));
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            html(ctx, 200, "instance-gone.jte", null, null);
        }
    }

    private void clusterPage(Context ctx, UiSession s) {
        ClusterPages.Detail d = clusterPages.detail(s.user(), ctx.pathParam("name"), null);
        html(ctx, 200, "cluster.jte", new Pages.Frame(d.cluster().name(), "clusters", s), d);
    }

    /** The live region of a cluster's page; once the cluster is gone it says so (a 200, so htmx swaps it). */
    private void clusterLive(Context ctx, UiSession s) {
        try {
            html(ctx, 200, "cluster-live.jte", null, clusterPages.detail(s.user(), ctx.pathParam("name"), null));
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            html(ctx, 200, "cluster-gone.jte", null, null);
        }
    }

    /** Grow, shrink, promote, backup or destroy; the API's refusal (its rule's message) is shown on the cluster's page. */
    private void clusterOperation(Context ctx, UiSession s) {
        String name = ctx.pathParam("name");
        String operation = ctx.pathParam("operation");
        try {
            clusterPages.operate(s.user(), name, operation, ctx.formParamMap());
        } catch (ApiException e) {
            if (e.status() != 400 && e.status() != 409 && e.status() != 422) {
                throw e;
            }
            ClusterPages.Detail d = clusterPages.detail(s.user(), name, e.getMessage());
            html(ctx, e.status(), "cluster.jte", new Pages.Frame(d.cluster().name(), "clusters", s), d);
            return;
        }
        done(ctx, operation.equals("destroy") ? "/ui/clusters" : "/ui/clusters/" + name);
    }

    private void reveal(Context ctx, UiSession s) {
        Instance i = views.instance(s.user(), ctx.pathParam("id"));
        String key = Optional.ofNullable(ctx.formParam("key")).orElse("");
        Object value = i.connectionParameters().get(key);
        if (value == null) {
            throw ApiException.notFound("unknown_parameter", "instance '" + i.name() + "' has no connection parameter '" + key + "'");
        }
        views.recordReveal(s.user(), i, key);
        html(ctx, 200, "revealed.jte", null, String.valueOf(value));
    }

    private void changeState(Context ctx, UiSession s) {
        Pages.InstanceDetail d = detail(s, ctx.pathParam("id"));
        Instance i = d.instance();
        if (!d.editable()) {
            throw ApiException.forbidden(d.why());
        }
        RequestedState state;
        try {
            state = RequestedState.parse(Optional.ofNullable(ctx.formParam("state")).orElse(""));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("state must be started, stopped or destroyed");
        }
        if (state == RequestedState.DESTROYED) {
            instances.remove(s.user(), i.name());
        } else {
            instances.request(s.user(), new InstanceRequest(i.name(), i.softwareUrl(), i.softwareType(), i.parameters(), state,
                    i.shared(), i.filter()));
        }
        done(ctx, "/ui/instances/" + i.id());
    }

    // --- request / update form ------------------------------------------------------------------

    private void requestForm(Context ctx, UiSession s) {
        String url = Optional.ofNullable(ctx.queryParam("url")).orElse("");
        String type = Optional.ofNullable(ctx.queryParam("type")).filter(t -> !t.isBlank()).orElse("default");
        ParameterForm form = form(url, type);
        html(ctx, 200, "request.jte", new Pages.Frame("Request an instance", "request", s),
                new Pages.RequestForm(false, null, Optional.ofNullable(ctx.queryParam("name")).orElse(""), url, type, "",
                        form.view(Map.of(), Map.of()), Map.of(), null, views.releases(s.user())));
    }

    private void editForm(Context ctx, UiSession s) {
        Pages.InstanceDetail d = detail(s, ctx.pathParam("id"));
        if (!d.editable()) {
            throw ApiException.forbidden(d.why());
        }
        Instance i = d.instance();
        html(ctx, 200, "request.jte", new Pages.Frame("Change " + i.name(), "instances", s),
                new Pages.RequestForm(true, i.id(), i.name(), i.softwareUrl(), i.softwareType(), i.filter().getOrDefault("node", ""),
                        form(i.softwareUrl(), i.softwareType()).view(i.parameters(), Map.of()), Map.of(), null, List.of()));
    }

    private ParameterForm form(String url, String type) {
        ParameterSchemas schemas = instances.schemas();
        return new ParameterForm(url.isEmpty() ? null : schemas.find(url, type).map(ParameterSchemas.Schema::json).orElse(null));
    }

    private void submitRequest(Context ctx, UiSession s) {
        Map<String, List<String>> posted = ctx.formParamMap();
        String instanceId = first(posted, "instance");
        Instance existing = null;
        String name;
        String url;
        String type;
        String node;
        if (instanceId != null && !instanceId.isEmpty()) {
            Pages.InstanceDetail d = detail(s, instanceId);
            if (!d.editable()) {
                throw ApiException.forbidden(d.why());
            }
            existing = d.instance();
            name = existing.name();
            url = existing.softwareUrl();
            type = existing.softwareType();
            node = existing.filter().getOrDefault("node", "");
        } else {
            name = Optional.ofNullable(first(posted, "name")).orElse("").strip();
            url = Optional.ofNullable(first(posted, "url")).orElse("").strip();
            type = Optional.ofNullable(first(posted, "type")).filter(t -> !t.isBlank()).orElse("default").strip();
            node = Optional.ofNullable(first(posted, "node")).orElse("").strip();
        }
        Map<String, String> errors = new TreeMap<>();
        if (name.isEmpty()) {
            errors.put("name", "a name is required");
        }
        if (url.isEmpty()) {
            errors.put("url", "choose the software release");
        }
        ParameterForm form = form(url, type);
        Map<String, String> paramErrors = new TreeMap<>();
        Map<String, Object> params = form.parameters(posted, paramErrors);
        if (paramErrors.isEmpty() && !url.isEmpty()) {
            paramErrors.putAll(instances.schemas().validate(url, type, params)); // the API's very check
        }
        String formError = null;
        if (errors.isEmpty() && paramErrors.isEmpty()) {
            try {
                Map<String, String> filter = node.isEmpty() ? Map.of() : Map.of("node", node);
                InstanceService.RequestResult r = instances.request(s.user(), new InstanceRequest(name, url, type, params,
                        existing == null ? RequestedState.STARTED : existing.requestedState(), existing != null && existing.shared(),
                        existing == null ? filter : existing.filter()));
                done(ctx, "/ui/instances/" + r.instance().id());
                return;
            } catch (ApiException e) {
                formError = e.getMessage();
            }
        }
        Pages.RequestForm model = new Pages.RequestForm(existing != null, instanceId, name, url, type, node,
                form.submitted(posted, paramErrors), errors, formError, existing == null ? views.releases(s.user()) : List.of());
        html(ctx, 422, ctx.header("HX-Request") != null ? "request-form.jte" : "request.jte",
                new Pages.Frame(existing == null ? "Request an instance" : "Change " + name, existing == null ? "request" : "instances", s), model);
    }

    private void auditPage(Context ctx, UiSession s) {
        html(ctx, 200, "audit.jte", new Pages.Frame("Audit log", "audit", s), views.audit(s.user(), 0, 300));
    }

    // --- rendering --------------------------------------------------------------------------

    /** One line of the live activity list, rendered for {@code user}. */
    private String activityLine(Principal user, WebViews.AuditEntry e) {
        return templates.render("activity-line.jte", Map.of("e", e)).replace('\n', ' ');
    }

    private void html(Context ctx, int status, String template, Pages.Frame frame, Object model) {
        Map<String, Object> params = new HashMap<>();
        if (frame != null) {
            params.put("frame", frame);
        }
        if (model != null) {
            params.put("m", model);
        }
        ctx.status(status).contentType("text/html; charset=utf-8").result(templates.render(template, params));
    }

    private void problem(Context ctx, UiSession s, int status, String title, String message) {
        html(ctx, status, "problem.jte", new Pages.Frame(title, "", s), new Pages.Problem(status, title, message));
    }

    /** After an action: htmx follows HX-Redirect; a plain form follows the 303. */
    private static void done(Context ctx, String location) {
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", location).status(204);
        } else {
            redirect(ctx, location);
        }
    }

    private static void redirect(Context ctx, String location) {
        ctx.status(303).header("Location", location);
    }

    private static String first(Map<String, List<String>> m, String key) {
        List<String> v = m.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
