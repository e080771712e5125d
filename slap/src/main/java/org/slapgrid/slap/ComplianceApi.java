package org.slapgrid.slap;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import org.slapgrid.slap.model.Compliance;

/**
 * The compliance calls of docs/compliance.md, through a {@link SlapClient}: rulesets,
 * modulesets and attachments (a user's token), the plan and the results (a node's secret), and
 * the results as a user reads them.
 */
public final class ComplianceApi {
    private static final String BASE = "api/v1/compliance/";
    private final SlapClient client;

    ComplianceApi(SlapClient client) {
        this.client = client;
    }

    public Compliance.Ruleset createRuleset(String name, Map<String, Object> variables) {
        return client.call("POST", BASE + "rulesets", new Compliance.Ruleset(name, null, variables), Compliance.Ruleset.class);
    }

    public List<Compliance.Ruleset> rulesets() {
        return client.call("GET", BASE + "rulesets", null, new TypeReference<List<Compliance.Ruleset>>() { });
    }

    public Compliance.Ruleset ruleset(String name) {
        return client.call("GET", BASE + "rulesets/" + SlapClient.seg(name), null, Compliance.Ruleset.class);
    }

    public Compliance.Ruleset updateRuleset(String name, Map<String, Object> set, List<String> unset) {
        return client.call("PATCH", BASE + "rulesets/" + SlapClient.seg(name), new Compliance.RulesetUpdate(set, unset),
                Compliance.Ruleset.class);
    }

    public void deleteRuleset(String name) {
        client.call("DELETE", BASE + "rulesets/" + SlapClient.seg(name), null, Void.class);
    }

    public Compliance.Moduleset createModuleset(Compliance.Moduleset moduleset) {
        return client.call("POST", BASE + "modulesets", moduleset, Compliance.Moduleset.class);
    }

    public List<Compliance.Moduleset> modulesets() {
        return client.call("GET", BASE + "modulesets", null, new TypeReference<List<Compliance.Moduleset>>() { });
    }

    public Compliance.Moduleset moduleset(String name) {
        return client.call("GET", BASE + "modulesets/" + SlapClient.seg(name), null, Compliance.Moduleset.class);
    }

    public Compliance.Moduleset updateModuleset(String name, Compliance.ModulesetUpdate update) {
        return client.call("PATCH", BASE + "modulesets/" + SlapClient.seg(name), update, Compliance.Moduleset.class);
    }

    public void deleteModuleset(String name) {
        client.call("DELETE", BASE + "modulesets/" + SlapClient.seg(name), null, Void.class);
    }

    public void attach(Compliance.Attachment attachment) {
        client.call("POST", BASE + "attach", attachment, Void.class);
    }

    public void detach(Compliance.Attachment attachment) {
        client.call("POST", BASE + "detach", attachment, Void.class);
    }

    /** What is attached to a target (a node, an instance or a cluster of the caller). */
    public List<Compliance.Attachment> attachments(Compliance.TargetKind kind, String target) {
        return client.call("GET", BASE + "attachments?" + kind.name() + "=" + SlapClient.seg(target), null,
                new TypeReference<List<Compliance.Attachment>>() { });
    }

    /** The newest results of a node (its node-level modules) or of an instance; {@code kind} null: a node if the caller has one so named. */
    public List<Compliance.Result> results(Compliance.TargetKind kind, String target, int limit) {
        return client.call("GET", BASE + "results/" + SlapClient.seg(target) + "?limit=" + limit
                + (kind == null ? "" : "&kind=" + kind.name()), null, new TypeReference<List<Compliance.Result>>() { });
    }

    /** Asks a node, an instance or a cluster's members to run compliance now (docs/compliance.md, "Runs the master asks for"). */
    public Compliance.Run run(Compliance.RunRequest request) {
        return client.call("POST", BASE + "runs", request, Compliance.Run.class);
    }

    /** A run the caller asked for, with each part's state and, once done, each module's status. */
    public Compliance.Run run(String id) {
        return client.call("GET", BASE + "runs/" + SlapClient.seg(id), null, Compliance.Run.class);
    }

    /** The node's plan: what its compliance runs (the node's secret). */
    public Compliance.Plan plan(String nodeId) {
        return plan(nodeId, Compliance.Facts.NONE);
    }

    /** The node's plan for a node that tells its OS and tags (the attachments' filters are matched against them). */
    public Compliance.Plan plan(String nodeId, Compliance.Facts facts) {
        StringBuilder q = new StringBuilder();
        if (facts.os() != null) {
            q.append("os=").append(SlapClient.seg(facts.os()));
        }
        if (!facts.tags().isEmpty()) {
            q.append(q.length() == 0 ? "" : "&").append("tags=").append(SlapClient.seg(String.join(" ", facts.tags())));
        }
        return client.call("GET", "api/v1/nodes/" + SlapClient.seg(nodeId) + "/compliance" + (q.length() == 0 ? "" : "?" + q),
                null, Compliance.Plan.class);
    }

    /** The node's results (the node's secret). */
    public void report(String nodeId, List<Compliance.Result> results) {
        client.call("POST", "api/v1/nodes/" + SlapClient.seg(nodeId) + "/compliance/results", new Compliance.Report(results),
                Void.class);
    }
}
