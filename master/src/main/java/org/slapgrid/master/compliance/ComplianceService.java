package org.slapgrid.master.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.AuditLog;
import org.slapgrid.master.service.NodeAccess;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.service.Validate;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.Compliance;

/**
 * Rulesets, modulesets and attachments of each user, the plan of a node and its results.
 * A user sees and names only their own rulesets and modulesets; attaching to a node needs its
 * owner or the admin, to an instance or a cluster its owner. Another user's object is answered
 * 404, as everywhere on the master.
 */
public final class ComplianceService {
    /** A variable's key: what OpenSVC's collector allows in a variable name. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\- ]{0,127}");
    static final int MAX_VARIABLES = 256;
    static final int MAX_MEMBERS = 256;
    /** Per reported result: the tail of its output the master keeps. */
    static final int OUTPUT_TAIL = 8 * 1024;
    static final int MAX_RESULTS_PER_REPORT = 1000;
    /** Per node: the newest results kept (older ones are dropped as new ones come). */
    static final int KEPT_PER_NODE = 2000;
    static final int MAX_LIST = 1000;

    private final Database db;
    private final ObjectMapper json = Json.lenient();

    public ComplianceService(Database db) {
        this.db = db;
    }

    // ------------------------------------------------------------------------- rulesets

    public Compliance.Ruleset createRuleset(Principal caller, Compliance.Ruleset r) {
        NodeService.requireUser(caller);
        String name = Validate.id("name", r.name());
        Map<String, Object> variables = checkedVariables(r.variables() == null ? Map.of() : r.variables());
        return db.transaction(c -> {
            if (rulesetId(c, caller.subject(), name).isPresent()) {
                throw ApiException.conflict("exists", "you already have a ruleset named '" + name + "'");
            }
            Sql.update(c, "INSERT INTO compliance_ruleset (id, owner, name, variables, updated_at) VALUES (?, ?, ?, ?, ?)",
                    Ids.next("r"), caller.subject(), name, write(variables), System.currentTimeMillis());
            AuditLog.record(c, caller, "compliance.ruleset.create", name, variables.size() + " variables");
            return new Compliance.Ruleset(name, caller.subject(), variables);
        });
    }

    public List<Compliance.Ruleset> rulesets(Principal caller) {
        NodeService.requireUser(caller);
        return db.read(c -> Sql.list(c, "SELECT name, owner, variables FROM compliance_ruleset WHERE owner = ? ORDER BY name",
                rs -> new Compliance.Ruleset(rs.getString(1), rs.getString(2), variables(rs.getString(3))), caller.subject()));
    }

    public Compliance.Ruleset ruleset(Principal caller, String name) {
        NodeService.requireUser(caller);
        return db.read(c -> Sql.one(c, "SELECT name, owner, variables FROM compliance_ruleset WHERE owner = ? AND name = ?",
                rs -> new Compliance.Ruleset(rs.getString(1), rs.getString(2), variables(rs.getString(3))), caller.subject(), name)
                .orElseThrow(() -> noRuleset(name)));
    }

    public Compliance.Ruleset updateRuleset(Principal caller, String name, Compliance.RulesetUpdate u) {
        NodeService.requireUser(caller);
        return db.transaction(c -> {
            Compliance.Ruleset current = Sql.one(c, "SELECT variables FROM compliance_ruleset WHERE owner = ? AND name = ?",
                    rs -> new Compliance.Ruleset(name, caller.subject(), variables(rs.getString(1))), caller.subject(), name)
                    .orElseThrow(() -> noRuleset(name));
            Map<String, Object> v = new TreeMap<>(current.variables());
            if (u.unset() != null) {
                u.unset().forEach(v::remove);
            }
            if (u.set() != null) {
                v.putAll(u.set());
            }
            Map<String, Object> checked = checkedVariables(v);
            Sql.update(c, "UPDATE compliance_ruleset SET variables = ?, updated_at = ? WHERE owner = ? AND name = ?",
                    write(checked), System.currentTimeMillis(), caller.subject(), name);
            AuditLog.record(c, caller, "compliance.ruleset.set", name, "set " + (u.set() == null ? List.of() : u.set().keySet())
                    + ", unset " + (u.unset() == null ? List.of() : u.unset()));
            return new Compliance.Ruleset(name, caller.subject(), checked);
        });
    }

    public void deleteRuleset(Principal caller, String name) {
        NodeService.requireUser(caller);
        db.transaction(c -> {
            String id = rulesetId(c, caller.subject(), name).orElseThrow(() -> noRuleset(name));
            List<String> users = Sql.list(c, "SELECT m.name FROM compliance_moduleset_ruleset x JOIN compliance_moduleset m"
                    + " ON m.id = x.moduleset_id WHERE x.ruleset_id = ? ORDER BY m.name", rs -> rs.getString(1), id);
            if (!users.isEmpty()) {
                throw ApiException.conflict("in_use", "ruleset '" + name + "' is part of modulesets " + users
                        + "; remove it from them first");
            }
            requireUnattached(c, "ruleset", id, "ruleset '" + name + "'");
            Sql.update(c, "DELETE FROM compliance_ruleset WHERE id = ?", id);
            AuditLog.record(c, caller, "compliance.ruleset.delete", name, null);
            return null;
        });
    }

    /**
     * Checks every key (1-128 letters, digits, '_', '.', '-', space) and that no two keys give
     * the same variable: {@code a.b} and {@code a_b} are both {@code OSVC_COMP_A_B}.
     */
    private static Map<String, Object> checkedVariables(Map<String, Object> variables) {
        if (variables.size() > MAX_VARIABLES) {
            throw new ApiException(422, "limit_exceeded", "a ruleset holds at most " + MAX_VARIABLES + " variables");
        }
        Map<String, String> byEnv = new HashMap<>();
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : variables.entrySet()) {
            String key = e.getKey();
            if (key == null || !KEY.matcher(key).matches()) {
                throw ApiException.badRequest("variable '" + key + "': a key is 1-128 letters, digits, '_', '.', '-' or spaces,"
                        + " starting with a letter or digit");
            }
            String env = Compliance.envName(key);
            String other = byEnv.put(env, key);
            if (other != null) {
                throw new ApiException(422, "duplicate_variable", "variables '" + other + "' and '" + key
                        + "' would both be OSVC_COMP_" + env);
            }
            out.put(key, e.getValue());
        }
        return out;
    }


    // ------------------------------------------------------------------------- modulesets

    public Compliance.Moduleset createModuleset(Principal caller, Compliance.Moduleset m) {
        NodeService.requireUser(caller);
        String name = Validate.id("name", m.name());
        return db.transaction(c -> {
            if (modulesetId(c, caller.subject(), name).isPresent()) {
                throw ApiException.conflict("exists", "you already have a moduleset named '" + name + "'");
            }
            String id = Ids.next("m");
            Sql.update(c, "INSERT INTO compliance_moduleset (id, owner, name, updated_at) VALUES (?, ?, ?, ?)",
                    id, caller.subject(), name, System.currentTimeMillis());
            apply(c, caller.subject(), id, name, new Compliance.ModulesetUpdate(m.modules(), null, m.modulesets(), null,
                    m.rulesets(), null));
            AuditLog.record(c, caller, "compliance.moduleset.create", name, null);
            return moduleset(c, id);
        });
    }

    public List<Compliance.Moduleset> modulesets(Principal caller) {
        NodeService.requireUser(caller);
        return db.read(c -> {
            List<Compliance.Moduleset> out = new ArrayList<>();
            for (String id : Sql.list(c, "SELECT id FROM compliance_moduleset WHERE owner = ? ORDER BY name",
                    rs -> rs.getString(1), caller.subject())) {
                out.add(moduleset(c, id));
            }
            return out;
        });
    }

    public Compliance.Moduleset moduleset(Principal caller, String name) {
        NodeService.requireUser(caller);
        return db.read(c -> moduleset(c, modulesetId(c, caller.subject(), name).orElseThrow(() -> noModuleset(name))));
    }

    public Compliance.Moduleset updateModuleset(Principal caller, String name, Compliance.ModulesetUpdate u) {
        NodeService.requireUser(caller);
        return db.transaction(c -> {
            String id = modulesetId(c, caller.subject(), name).orElseThrow(() -> noModuleset(name));
            apply(c, caller.subject(), id, name, u);
            Sql.update(c, "UPDATE compliance_moduleset SET updated_at = ? WHERE id = ?", System.currentTimeMillis(), id);
            AuditLog.record(c, caller, "compliance.moduleset.set", name, null);
            return moduleset(c, id);
        });
    }

    public void deleteModuleset(Principal caller, String name) {
        NodeService.requireUser(caller);
        db.transaction(c -> {
            String id = modulesetId(c, caller.subject(), name).orElseThrow(() -> noModuleset(name));
            List<String> parents = Sql.list(c, "SELECT m.name FROM compliance_moduleset_child x JOIN compliance_moduleset m"
                    + " ON m.id = x.moduleset_id WHERE x.child_id = ? ORDER BY m.name", rs -> rs.getString(1), id);
            if (!parents.isEmpty()) {
                throw ApiException.conflict("in_use", "moduleset '" + name + "' is inside modulesets " + parents
                        + "; remove it from them first");
            }
            requireUnattached(c, "moduleset", id, "moduleset '" + name + "'");
            for (String table : List.of("compliance_moduleset_module", "compliance_moduleset_child", "compliance_moduleset_ruleset")) {
                Sql.update(c, "DELETE FROM " + table + " WHERE moduleset_id = ?", id);
            }
            Sql.update(c, "DELETE FROM compliance_moduleset WHERE id = ?", id);
            AuditLog.record(c, caller, "compliance.moduleset.delete", name, null);
            return null;
        });
    }

    /** Applies an update's additions and removals to moduleset {@code id}; a nested moduleset making a cycle is refused (422). */
    private void apply(Connection c, String owner, String id, String name, Compliance.ModulesetUpdate u) throws SQLException {
        for (String module : orEmpty(u.removeModules())) {
            Sql.update(c, "DELETE FROM compliance_moduleset_module WHERE moduleset_id = ? AND module = ?", id, module);
        }
        for (Compliance.Module module : orEmpty(u.addModules())) {
            String m = Validate.id("module name", module.name());
            Sql.update(c, "DELETE FROM compliance_moduleset_module WHERE moduleset_id = ? AND module = ?", id, m);
            Sql.update(c, "INSERT INTO compliance_moduleset_module (moduleset_id, module, autofix, position) VALUES (?, ?, ?, ?)",
                    id, m, module.autofix(), next(c, "compliance_moduleset_module", id));
        }
        for (String child : orEmpty(u.removeModulesets())) {
            modulesetId(c, owner, child).ifPresent(cid -> update(c,
                    "DELETE FROM compliance_moduleset_child WHERE moduleset_id = ? AND child_id = ?", id, cid));
        }
        for (String child : orEmpty(u.addModulesets())) {
            String cid = modulesetId(c, owner, child).orElseThrow(() -> noModuleset(child));
            List<String> path = pathTo(c, cid, id, new LinkedHashSet<>());
            if (cid.equals(id) || path != null) {
                throw new ApiException(422, "cycle", "moduleset '" + child + "' cannot go inside '" + name + "': '" + name
                        + "' is already inside it" + (path == null || path.isEmpty() ? "" : " (through " + names(c, path) + ")"));
            }
            if (Sql.one(c, "SELECT 1 FROM compliance_moduleset_child WHERE moduleset_id = ? AND child_id = ?", rs -> true, id, cid)
                    .isEmpty()) {
                Sql.update(c, "INSERT INTO compliance_moduleset_child (moduleset_id, child_id, position) VALUES (?, ?, ?)",
                        id, cid, next(c, "compliance_moduleset_child", id));
            }
        }
        for (String r : orEmpty(u.removeRulesets())) {
            rulesetId(c, owner, r).ifPresent(rid -> update(c,
                    "DELETE FROM compliance_moduleset_ruleset WHERE moduleset_id = ? AND ruleset_id = ?", id, rid));
        }
        for (String r : orEmpty(u.addRulesets())) {
            String rid = rulesetId(c, owner, r).orElseThrow(() -> noRuleset(r));
            if (Sql.one(c, "SELECT 1 FROM compliance_moduleset_ruleset WHERE moduleset_id = ? AND ruleset_id = ?", rs -> true, id, rid)
                    .isEmpty()) {
                Sql.update(c, "INSERT INTO compliance_moduleset_ruleset (moduleset_id, ruleset_id) VALUES (?, ?)", id, rid);
            }
        }
        long members = Sql.one(c, "SELECT (SELECT COUNT(*) FROM compliance_moduleset_module WHERE moduleset_id = ?)"
                + " + (SELECT COUNT(*) FROM compliance_moduleset_child WHERE moduleset_id = ?)", rs -> rs.getLong(1), id, id).orElse(0L);
        if (members > MAX_MEMBERS) {
            throw new ApiException(422, "limit_exceeded", "a moduleset holds at most " + MAX_MEMBERS + " modules and modulesets");
        }
    }

    /** The modulesets from {@code from} down to {@code to} (exclusive of {@code from}), or null when {@code to} is not inside it. */
    private static List<String> pathTo(Connection c, String from, String to, Set<String> seen) throws SQLException {
        if (!seen.add(from)) {
            return null;
        }
        for (String child : children(c, from)) {
            if (child.equals(to)) {
                return new ArrayList<>();
            }
            List<String> below = pathTo(c, child, to, seen);
            if (below != null) {
                below.add(0, child);
                return below;
            }
        }
        return null;
    }

    private static List<String> children(Connection c, String id) throws SQLException {
        return Sql.list(c, "SELECT child_id FROM compliance_moduleset_child WHERE moduleset_id = ? ORDER BY position",
                rs -> rs.getString(1), id);
    }

    private static String names(Connection c, List<String> ids) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add(Sql.one(c, "SELECT name FROM compliance_moduleset WHERE id = ?", rs -> rs.getString(1), id).orElse(id));
        }
        return String.join(" > ", out);
    }

    private static Compliance.Moduleset moduleset(Connection c, String id) throws SQLException {
        String[] head = Sql.one(c, "SELECT name, owner FROM compliance_moduleset WHERE id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, id).orElseThrow();
        List<Compliance.Module> modules = Sql.list(c, "SELECT module, autofix FROM compliance_moduleset_module"
                + " WHERE moduleset_id = ? ORDER BY position", rs -> new Compliance.Module(rs.getString(1), rs.getBoolean(2)), id);
        List<String> sets = Sql.list(c, "SELECT m.name FROM compliance_moduleset_child x JOIN compliance_moduleset m"
                + " ON m.id = x.child_id WHERE x.moduleset_id = ? ORDER BY x.position", rs -> rs.getString(1), id);
        List<String> rulesets = Sql.list(c, "SELECT r.name FROM compliance_moduleset_ruleset x JOIN compliance_ruleset r"
                + " ON r.id = x.ruleset_id WHERE x.moduleset_id = ? ORDER BY r.name", rs -> rs.getString(1), id);
        return new Compliance.Moduleset(head[0], head[1], modules, sets, rulesets);
    }

    private static long next(Connection c, String table, String id) throws SQLException {
        return Sql.one(c, "SELECT COALESCE(MAX(position), -1) + 1 FROM " + table + " WHERE moduleset_id = ?",
                rs -> rs.getLong(1), id).orElse(0L);
    }

    // ------------------------------------------------------------------------- attachments

    public void attach(Principal caller, Compliance.Attachment a) {
        NodeService.requireUser(caller);
        db.transaction(c -> {
            Item item = item(c, caller, a);
            String target = target(c, caller, a.targetKind(), a.target());
            String filter = filter(a.filter());
            // attaching again replaces the filter: one attachment per target and item
            Sql.update(c, "DELETE FROM compliance_attachment WHERE target_kind = ? AND target_id = ? AND item_kind = ?"
                    + " AND item_id = ?", a.targetKind().name(), target, item.kind(), item.id());
            Sql.update(c, "INSERT INTO compliance_attachment (target_kind, target_id, item_kind, item_id, attached_by,"
                    + " attached_at, node_filter) VALUES (?, ?, ?, ?, ?, ?, ?)", a.targetKind().name(), target, item.kind(), item.id(),
                    caller.actor(), System.currentTimeMillis(), filter);
            AuditLog.record(c, caller, "compliance.attach", a.targetKind() + ":" + a.target(), item.kind() + " " + item.name()
                    + (a.filter() == null ? "" : " where " + a.filter().describe()));
            return null;
        });
    }

    public void detach(Principal caller, Compliance.Attachment a) {
        NodeService.requireUser(caller);
        db.transaction(c -> {
            Item item = item(c, caller, a);
            String target = target(c, caller, a.targetKind(), a.target());
            int n = Sql.update(c, "DELETE FROM compliance_attachment WHERE target_kind = ? AND target_id = ? AND item_kind = ?"
                    + " AND item_id = ?", a.targetKind().name(), target, item.kind(), item.id());
            if (n == 0) {
                throw ApiException.notFound("not_attached", item.kind() + " '" + item.name() + "' is not attached to "
                        + a.targetKind() + " '" + a.target() + "'");
            }
            AuditLog.record(c, caller, "compliance.detach", a.targetKind() + ":" + a.target(), item.kind() + " " + item.name());
            return null;
        });
    }

    /** A filter as stored (null: none), each field checked: 400 naming what is wrong. */
    private String filter(Compliance.Filter f) {
        if (f == null || (f.node() == null && f.os() == null && f.tags() == null && f.instanceTags() == null)) {
            return null;
        }
        Validate.text("filter.node", f.node() == null ? "-" : f.node(), 255);
        Validate.text("filter.os", f.os() == null ? "-" : f.os(), 255);
        for (String[] expr : new String[][] {{"filter.tags", f.tags()}, {"filter.instanceTags", f.instanceTags()}}) {
            if (expr[1] != null) {
                try {
                    org.slapgrid.slap.tags.TagExpression.parse(expr[1]);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(expr[0] + ": " + e.getMessage());
                }
            }
        }
        try {
            return json.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Compliance.Filter readFilter(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, Compliance.Filter.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored attachment filter is not JSON: " + e.getMessage(), e);
        }
    }

    /** What is attached to a target of the caller, whoever attached it (names as their owners named them). */
    public List<Compliance.Attachment> attachments(Principal caller, Compliance.TargetKind kind, String target) {
        NodeService.requireUser(caller);
        return db.read(c -> {
            String id = target(c, caller, kind, target);
            List<Compliance.Attachment> out = new ArrayList<>(Sql.list(c, "SELECT m.name, a.node_filter FROM compliance_attachment a"
                    + " JOIN compliance_moduleset m ON m.id = a.item_id WHERE a.target_kind = ? AND a.target_id = ?"
                    + " AND a.item_kind = 'moduleset' ORDER BY m.name",
                    rs -> new Compliance.Attachment(kind, target, rs.getString(1), null, readFilter(rs.getString(2))), kind.name(), id));
            out.addAll(Sql.list(c, "SELECT r.name, a.node_filter FROM compliance_attachment a JOIN compliance_ruleset r ON r.id = a.item_id"
                    + " WHERE a.target_kind = ? AND a.target_id = ? AND a.item_kind = 'ruleset' ORDER BY r.name",
                    rs -> new Compliance.Attachment(kind, target, null, rs.getString(1), readFilter(rs.getString(2))), kind.name(), id));
            return out;
        });
    }

    private record Item(String kind, String id, String name) {
    }

    private static Item item(Connection c, Principal caller, Compliance.Attachment a) throws SQLException {
        Validate.present("targetKind", a.targetKind());
        Validate.text("target", a.target(), 255);
        if ((a.moduleset() == null) == (a.ruleset() == null)) {
            throw ApiException.badRequest("give exactly one of moduleset and ruleset");
        }
        if (a.moduleset() != null) {
            return new Item("moduleset", modulesetId(c, caller.subject(), a.moduleset()).orElseThrow(() -> noModuleset(a.moduleset())),
                    a.moduleset());
        }
        return new Item("ruleset", rulesetId(c, caller.subject(), a.ruleset()).orElseThrow(() -> noRuleset(a.ruleset())), a.ruleset());
    }

    /**
     * The id of a target the caller may attach to: a node it manages (its owner, or the admin),
     * its own instance (by name) or its own cluster; 404 otherwise.
     */
    static String target(Connection c, Principal caller, Compliance.TargetKind kind, String name) throws SQLException {
        if (kind == null || name == null) {
            throw ApiException.badRequest("a target needs its kind (node, instance, cluster) and its name");
        }
        return switch (kind) {
            case node -> {
                NodeAccess.requireManager(c, caller, name);
                yield name;
            }
            case instance -> instanceId(c, caller, name).orElseThrow(() ->
                    ApiException.notFound("unknown_instance", "you have no instance named '" + name + "'"));
            case cluster -> Sql.one(c, "SELECT id FROM cluster WHERE owner = ? AND name = ?", rs -> rs.getString(1),
                    caller.subject(), name).orElseThrow(() -> ApiException.notFound("unknown_cluster", "you have no cluster named '"
                    + name + "'"));
        };
    }

    /** The caller's instance of that name: the one it requested itself, else the only one of its trees so named. */
    private static Optional<String> instanceId(Connection c, Principal caller, String name) throws SQLException {
        Optional<String> own = Sql.one(c, "SELECT id FROM instance WHERE requester = ? AND name = ?", rs -> rs.getString(1),
                "user:" + caller.subject(), name);
        if (own.isPresent()) {
            return own;
        }
        List<String> named = Sql.list(c, "SELECT id FROM instance WHERE owner = ? AND name = ?", rs -> rs.getString(1),
                caller.subject(), name);
        if (named.size() > 1) {
            throw ApiException.conflict("ambiguous_name", named.size() + " of your instances are named '" + name + "'");
        }
        return named.stream().findFirst();
    }

    private static void requireUnattached(Connection c, String kind, String id, String what) throws SQLException {
        long n = Sql.one(c, "SELECT COUNT(*) FROM compliance_attachment WHERE item_kind = ? AND item_id = ?", rs -> rs.getLong(1),
                kind, id).orElse(0L);
        if (n > 0) {
            throw ApiException.conflict("in_use", what + " is attached to " + n + " targets; detach it first");
        }
    }

    // ------------------------------------------------------------------------- the node's side

    /**
     * What node {@code nodeId} runs: the modulesets and rulesets attached to it (node level),
     * and for each partition's instance those attached to the instance and to its cluster.
     * Targets without modules are left out.
     */
    public Compliance.Plan plan(Principal caller, String nodeId) {
        return plan(caller, nodeId, Compliance.Facts.NONE);
    }

    /** A partition of the node and the instance it hosts. */
    private record Hosted(String partition, String instanceId, String name, String softwareUrl) {
    }

    /**
     * The plan of a node that told its facts (OS, tags): an attachment with a filter is in it
     * only when the filter matches this node.
     */
    public Compliance.Plan plan(Principal caller, String nodeId, Compliance.Facts facts) {
        NodeService.requireNode(caller, nodeId);
        return db.read(c -> {
            List<Compliance.Target> targets = new ArrayList<>();
            java.util.function.Predicate<String> applies = f -> f == null || readFilter(f).matches(nodeId, facts);
            Compliance.Target node = expand(c, null, null, null, attached(c, "node", List.of(nodeId), applies));
            if (!node.modules().isEmpty()) {
                targets.add(node);
            }
            List<Hosted> hosted = Sql.list(c, "SELECT p.id AS partition_id, i.id AS instance_id, i.name, i.software_url"
                    + " FROM node_partition p JOIN instance i"
                    + " ON i.id = p.instance_id WHERE p.node_id = ? AND i.requested_state <> 'destroyed' ORDER BY p.id",
                    rs -> new Hosted(rs.getString("partition_id"), rs.getString("instance_id"), rs.getString("name"),
                            rs.getString("software_url")), nodeId);
            for (Hosted h : hosted) {
                Set<String> tags = instanceTags(c, h.instanceId());
                java.util.function.Predicate<String> here = f -> f == null || readFilter(f).matches(nodeId, facts, tags);
                List<String[]> items = new ArrayList<>(attached(c, "instance", List.of(h.instanceId()), here));
                List<String> clusters = Sql.list(c, "SELECT cluster_id FROM cluster_member WHERE instance_id = ?",
                        rs -> rs.getString(1), h.instanceId());
                items.addAll(attached(c, "cluster", clusters, here));
                Compliance.Target t = expand(c, h.partition(), h.name(), h.softwareUrl(), items);
                if (!t.modules().isEmpty()) {
                    targets.add(t);
                }
            }
            return new Compliance.Plan(nodeId, targets);
        });
    }

    /** An instance's tags: those of its services in the status its node last reported (none before one). */
    private Set<String> instanceTags(Connection c, String instanceId) throws SQLException {
        String status = Sql.one(c, "SELECT status_json FROM instance WHERE id = ?", rs -> rs.getString(1), instanceId).orElse(null);
        Set<String> tags = new java.util.TreeSet<>();
        if (status != null) {
            try {
                org.slapgrid.slap.model.PartitionStatus s = json.readValue(status, org.slapgrid.slap.model.PartitionStatus.class);
                s.services().forEach(x -> tags.addAll(x.tags()));
            } catch (JsonProcessingException e) {
                // an unreadable status: no tags, so no instance-tag filter matches
            }
        }
        return tags;
    }

    /** (item_kind, item_id) of what is attached to these targets and applies here (its filter, if any, matches). */
    private static List<String[]> attached(Connection c, String kind, List<String> targets,
                                           java.util.function.Predicate<String> applies) throws SQLException {
        if (targets.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(kind);
        args.addAll(targets);
        return Sql.list(c, "SELECT item_kind, item_id, node_filter FROM compliance_attachment WHERE target_kind = ? AND target_id IN ("
                + Sql.marks(targets.size()) + ") ORDER BY attached_at", rs -> new String[] {rs.getString(1), rs.getString(2),
                rs.getString(3)}, args.toArray()).stream().filter(r -> applies.test(r[2])).toList();
    }

    /**
     * The modules reached through the attached modulesets (depth first, in order; a module
     * reached twice keeps its first place and is autofix if any path says so) and the variables
     * of every ruleset reached, merged in ruleset name order (a later name wins a shared key).
     */
    private Compliance.Target expand(Connection c, String partition, String instance, String url, List<String[]> items)
            throws SQLException {
        Map<String, boolean[]> autofix = new LinkedHashMap<>();
        Map<String, List<String>> via = new HashMap<>();
        Set<String> rulesets = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String[] item : items) {
            if (item[0].equals("ruleset")) {
                rulesets.add(item[1]);
            } else {
                walk(c, item[1], seen, autofix, via, rulesets);
            }
        }
        List<Compliance.PlannedModule> modules = new ArrayList<>();
        autofix.forEach((m, f) -> modules.add(new Compliance.PlannedModule(m, f[0], List.copyOf(via.get(m)))));
        Map<String, Object> variables = new TreeMap<>();
        if (!rulesets.isEmpty()) {
            for (String v : Sql.list(c, "SELECT variables FROM compliance_ruleset WHERE id IN (" + Sql.marks(rulesets.size())
                    + ") ORDER BY name", rs -> rs.getString(1), rulesets.toArray())) {
                variables.putAll(variables(v));
            }
        }
        return new Compliance.Target(partition, instance, url, modules, variables);
    }

    private static void walk(Connection c, String id, Set<String> seen, Map<String, boolean[]> autofix,
                             Map<String, List<String>> via, Set<String> rulesets) throws SQLException {
        if (!seen.add(id)) {
            return; // reached twice (or a cycle the master refused to store anyway)
        }
        String name = Sql.one(c, "SELECT name FROM compliance_moduleset WHERE id = ?", rs -> rs.getString(1), id).orElse(null);
        if (name == null) {
            return;
        }
        for (Compliance.Module m : Sql.list(c, "SELECT module, autofix FROM compliance_moduleset_module WHERE moduleset_id = ?"
                + " ORDER BY position", rs -> new Compliance.Module(rs.getString(1), rs.getBoolean(2)), id)) {
            autofix.computeIfAbsent(m.name(), k -> new boolean[1])[0] |= m.autofix();
            via.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(name);
        }
        rulesets.addAll(Sql.list(c, "SELECT ruleset_id FROM compliance_moduleset_ruleset WHERE moduleset_id = ?",
                rs -> rs.getString(1), id));
        for (String child : children(c, id)) {
            walk(c, child, seen, autofix, via, rulesets);
            // a child's modules also count as reached through this moduleset (for --moduleset NAME)
            String childName = Sql.one(c, "SELECT name FROM compliance_moduleset WHERE id = ?", rs -> rs.getString(1), child)
                    .orElse(null);
            via.values().forEach(v -> {
                if (v.contains(childName) && !v.contains(name)) {
                    v.add(name);
                }
            });
        }
    }

    /** Results a node reports: partitions must be its own; the instance is the partition's current one. */
    public void report(Principal caller, String nodeId, List<Compliance.Result> results) {
        NodeService.requireNode(caller, nodeId);
        if (results == null || results.size() > MAX_RESULTS_PER_REPORT) {
            throw new ApiException(422, "limit_exceeded", "a report holds 1 to " + MAX_RESULTS_PER_REPORT + " results");
        }
        db.transaction(c -> {
            Map<String, Optional<String>> instances = new HashMap<>();
            for (Compliance.Result r : results) {
                Validate.id("module", r.module());
                Validate.present("action", r.action());
                String instance = null;
                if (r.partition() != null) {
                    Optional<String> found = instances.get(r.partition());
                    if (found == null) {
                        Optional<Optional<String>> row = Sql.one(c, "SELECT instance_id FROM node_partition WHERE node_id = ? AND id = ?",
                                rs -> Optional.ofNullable(rs.getString(1)), nodeId, r.partition());
                        if (row.isEmpty()) {
                            throw ApiException.notFound("unknown_partition", "node '" + nodeId + "' has no partition '"
                                    + r.partition() + "'");
                        }
                        found = row.get();
                        instances.put(r.partition(), found);
                    }
                    instance = found.orElse(null);
                }
                String output = r.output() == null ? "" : Validate.tail(r.output(), OUTPUT_TAIL);
                Sql.update(c, "INSERT INTO compliance_result (id, node_id, partition_id, instance_id, module, action, exit_code,"
                        + " output, duration_ms, run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Ids.next("c"), nodeId, r.partition(),
                        instance, r.module(), r.action().name(), (long) r.exitCode(), output, Math.max(0, r.durationMs()),
                        r.at() > 0 ? r.at() : System.currentTimeMillis());
            }
            // bounded: the newest results of each node are kept
            Sql.update(c, "DELETE FROM compliance_result WHERE node_id = ? AND id NOT IN (SELECT id FROM compliance_result"
                    + " WHERE node_id = ? ORDER BY run_at DESC, id DESC LIMIT " + KEPT_PER_NODE + ")", nodeId, nodeId);
            return null;
        });
    }

    /**
     * The newest results of a target, newest first: a node the caller manages (its node-level
     * modules) or an instance of the caller. {@code kind} null: a node if the caller manages one
     * so named, else an instance.
     */
    public List<Compliance.Result> results(Principal caller, Compliance.TargetKind kind, String target, int limit) {
        NodeService.requireUser(caller);
        int n = Math.max(1, Math.min(limit, MAX_LIST));
        return db.read(c -> {
            Compliance.TargetKind k = kind;
            if (k == null) {
                boolean node = NodeAccess.managedOwner(c, caller, target).isPresent();
                k = node ? Compliance.TargetKind.node : Compliance.TargetKind.instance;
            }
            String select = "SELECT r.node_id, r.partition_id, i.name, r.module, r.action, r.exit_code, r.output, r.duration_ms,"
                    + " r.run_at FROM compliance_result r LEFT JOIN instance i ON i.id = r.instance_id ";
            Sql.Row<Compliance.Result> row = rs -> new Compliance.Result(rs.getString("node_id"), rs.getString("partition_id"),
                    rs.getString("name"), rs.getString("module"), Compliance.Action.valueOf(rs.getString("action")),
                    (int) rs.getLong("exit_code"), rs.getString("output"), rs.getLong("duration_ms"), rs.getLong("run_at"));
            return switch (k) {
                case node -> {
                    NodeAccess.requireManager(c, caller, target);
                    yield Sql.list(c, select + "WHERE r.node_id = ? AND r.partition_id IS NULL ORDER BY r.run_at DESC, r.id DESC"
                            + " LIMIT " + n, row, target);
                }
                case instance -> {
                    String id = instanceId(c, caller, target).orElseThrow(() ->
                            ApiException.notFound("unknown_instance", "you have no node or instance named '" + target + "'"));
                    yield Sql.list(c, select + "WHERE r.instance_id = ? ORDER BY r.run_at DESC, r.id DESC LIMIT " + n, row, id);
                }
                case cluster -> throw ApiException.badRequest("results are kept per node and per instance; ask for each member");
            };
        });
    }

    // ------------------------------------------------------------------------- helpers

    private static Optional<String> rulesetId(Connection c, String owner, String name) throws SQLException {
        return Sql.one(c, "SELECT id FROM compliance_ruleset WHERE owner = ? AND name = ?", rs -> rs.getString(1), owner, name);
    }

    private static Optional<String> modulesetId(Connection c, String owner, String name) throws SQLException {
        return Sql.one(c, "SELECT id FROM compliance_moduleset WHERE owner = ? AND name = ?", rs -> rs.getString(1), owner, name);
    }

    private static ApiException noRuleset(String name) {
        return ApiException.notFound("unknown_ruleset", "you have no ruleset named '" + name + "'");
    }

    private static ApiException noModuleset(String name) {
        return ApiException.notFound("unknown_moduleset", "you have no moduleset named '" + name + "'");
    }

    private static void update(Connection c, String sql, Object... args) {
        try {
            Sql.update(c, sql, args);
        } catch (SQLException e) {
            throw new org.slapgrid.master.store.StoreException("database error: " + e.getMessage(), e);
        }
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    private String write(Map<String, Object> v) {
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> variables(String text) {
        try {
            return json.readValue(text, new TypeReference<TreeMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored ruleset is not JSON: " + e.getMessage(), e);
        }
    }
}
