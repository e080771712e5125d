package org.slapgrid.master.cluster;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a flex cluster's primary on when its node is lost (seed 002: the flex primary runs what
 * must run once): a primary whose node was not heard from for the cluster's
 * {@code primaryLostAfter} gives the role to the next member (by role and index, after it, round
 * the list) that is up. The change is one conditional update (two masters cannot both hand it
 * on), bumps every member so each node re-converges with the new {@code cluster-primary} (one
 * convergence), and is recorded in the cluster's events. Run by the master every few seconds.
 */
public final class PrimaryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryWatch.class);

    private final Database db;
    private final ChangeListener listener;
    private final ClusterEventLog events;

    public PrimaryWatch(Database db, ChangeListener listener, ClusterEventLog events) {
        this.db = db;
        this.listener = listener;
        this.events = events;
    }

    /** One look at every idle flex cluster; returns how many primaries were handed on. */
    public int check() {
        int handed = 0;
        for (ClusterRows.Cluster cl : db.read(c -> ClusterRows.where(c, "WHERE topology = ? AND task = ? AND primary_member IS NOT NULL",
                ClusterTopology.FLEX.json(), ClusterTask.NONE.name()))) {
            try {
                handed += handOn(cl) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warn("cluster {}/{}: cannot check its primary: {}", cl.owner(), cl.name(), e.getMessage());
            }
        }
        return handed;
    }

    private boolean handOn(ClusterRows.Cluster cl) {
        boolean[] done = new boolean[1];
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            List<ClusterRows.Member> members = ClusterRows.members(c, cl.id()).stream().filter(m -> !m.leaving()).toList();
            ClusterRows.Member primary = members.stream().filter(m -> m.shortName().equals(cl.primary())).findFirst().orElse(null);
            if (primary != null && Topologies.heardFrom(c, primary.node(), cl.primaryLostAfterMs())) {
                return changes; // the common case: the primary's node is alive
            }
            ClusterRows.Member next = next(c, cl, members, primary);
            if (next == null) {
                return changes; // no member is up: nobody to hand it to (the status says down)
            }
            if (Sql.update(c, "UPDATE cluster SET primary_member = ? WHERE id = ? AND primary_member = ? AND task = ?",
                    next.shortName(), cl.id(), cl.primary(), ClusterTask.NONE.name()) != 1) {
                return changes; // changed meanwhile (an operation, another master)
            }
            ClusterMemberships.touchMembers(c, cl.id(), null, changes);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", cl.primary());
            details.put("to", next.shortName());
            details.put("lostNode", primary == null ? null : primary.node());
            details.put("lostAfterSeconds", cl.primaryLostAfterMs() / 1000);
            events.append(c, cl.id(), "primary-handoff", "primary " + cl.primary() + " handed to " + next.shortName()
                    + (primary == null ? " (the primary is no member any more)"
                    : ": node " + primary.node() + " not heard from for " + cl.primaryLostAfterMs() / 1000 + " s"), details);
            done[0] = true;
            return changes;
        });
        if (done[0]) {
            LOG.info("cluster {}/{}: primary {} handed on (its node was lost)", cl.owner(), cl.name(), cl.primary());
        }
        return done[0];
    }

    /** The first member after {@code primary} (round the list) that is up, or null. */
    private static ClusterRows.Member next(java.sql.Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members,
                                           ClusterRows.Member primary) throws SQLException {
        int start = primary == null ? 0 : members.indexOf(primary) + 1;
        List<ClusterRows.Member> order = new ArrayList<>(members.subList(start, members.size()));
        order.addAll(members.subList(0, start));
        for (ClusterRows.Member m : order) {
            if (m != primary && InstanceState.STARTED.json().equals(m.reportedState())
                    && Topologies.heardFrom(c, m.node(), cl.primaryLostAfterMs())) {
                return m;
            }
        }
        return null;
    }
}
