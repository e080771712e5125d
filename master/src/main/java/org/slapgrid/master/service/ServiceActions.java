package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.ServiceAction;
import org.slapgrid.slap.tags.TagRule;
import org.slapgrid.slap.tags.TagRules;

/**
 * Stops, starts and restarts of an instance's services by tag: a stop or start is a rule kept
 * with the instance (desired state), a restart a one-off job. The cluster service uses the same
 * checks and writes for its members.
 */
public final class ServiceActions {
    private final Database db;
    private final ChangeListener listener;

    ServiceActions(Database db, ChangeListener listener) {
        this.db = db;
        this.listener = listener;
    }

    /**
     * Stops or starts the services of the user's instance {@code target} that {@code action.tags()}
     * selects: a rule added to its stops and starts by tag (desired state), its node woken to
     * apply it. 400 for a bad expression or action, 422 past {@link TagRules#MAX_RULES}.
     */
    Instance apply(Principal caller, Instance target, TagRule rule) {
        Instance[] out = new Instance[1];
        Changes.write(db, listener, c -> {
            out[0] = applyTagRule(c, caller, target.id(), rule);
            Changes changes = new Changes();
            changes.touch(out[0].node());
            return changes;
        });
        return out[0];
    }

    /**
     * Restarts the instance's services that {@code canonical} selects, once: a {@code restart} job
     * (its node restarts them, never one stopped on purpose, and reports when its promises are
     * kept). Not desired state: nothing is kept once it is done.
     */
    Instance restart(Principal caller, Instance target, String canonical) {
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            restartJob(c, target.id(), canonical, changes);
            AuditLog.record(c, caller, "instance.services.restart", "instance:" + target.id(), target.name() + " --tags " + canonical);
            return changes;
        });
        return db.read(c -> InstanceRows.byId(c, target.id()).orElseThrow());
    }

    /** A tag expression from a request, canonical ({@code sm+pod02,db}); 400 naming what is wrong. */
    public static String tagExpression(String tags) {
        try {
            return org.slapgrid.slap.tags.TagExpression.parse(tags).toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A {@code restart} job of the instance's services that {@code canonical} selects (its node: 5 minutes at most). */
    public static String restartJob(Connection c, String instanceId, String canonical, Changes changes) throws SQLException {
        return org.slapgrid.master.jobs.JobService.create(c, instanceId, "restart", Map.of("tags", canonical),
                java.time.Duration.ofMinutes(5), changes);
    }

    /** A checked rule from a request: 400 naming what is wrong. */
    public static TagRule tagRule(ServiceAction action) {
        Validate.present("body", action);
        boolean stopped = switch (action.action() == null ? "" : action.action()) {
            case "stop" -> true;
            case "start" -> false;
            default -> throw ApiException.badRequest("action must be 'stop', 'start' or 'restart' (got "
                    + (action.action() == null ? "nothing" : "'" + Validate.clip(action.action()) + "'") + ")");
        };
        try {
            return new TagRule(action.tags(), stopped);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * Adds {@code rule} to instance {@code instanceId}'s rules and bumps it (its node applies it);
     * the caller touches the node. An instance already gone: nothing, null.
     */
    public static Instance applyTagRule(Connection c, Principal caller, String instanceId, TagRule rule) throws SQLException {
        Instance i = InstanceRows.byId(c, instanceId).orElse(null);
        if (i == null) {
            return null;
        }
        List<TagRule> rules;
        try {
            rules = TagRules.with(i.tagRules(), rule);
        } catch (IllegalArgumentException e) {
            throw ParameterCheck.limit(e.getMessage());
        }
        Sql.update(c, "UPDATE instance SET tag_rules = ?, ts = ? WHERE id = ?", InstanceRows.jsonList(rules),
                InstanceRows.nextTimestamp(i.timestamp()), i.id());
        AuditLog.record(c, caller, rule.stopped() ? "instance.services.stop" : "instance.services.start",
                "instance:" + i.id(), i.name() + " --tags " + rule.tags());
        return InstanceRows.byId(c, i.id()).orElseThrow();
    }
}
