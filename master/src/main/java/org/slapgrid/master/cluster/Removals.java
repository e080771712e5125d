package org.slapgrid.master.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.store.Database;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;

/**
 * Which leaving members the cluster's convergence may destroy now. A started member first runs
 * its pre-scale hook (vm_remove) and then its lifecycle hook ({@link ScalingDriver}); one that
 * is not started (in error, stopped, not yet deployed) is removed without them, as Senlin skips
 * the wait for a node that is not ACTIVE, and the events say so.
 */
final class Removals {
    private Removals() {
    }

    /** The leaving members that are READY, or null while a pre-scale still runs (nothing is destroyed before all passed). */
    static List<ClusterRows.Member> droppable(Database db, ChangeListener listener, ClusterRows.Cluster cl) {
        @SuppressWarnings("unchecked")
        List<ClusterRows.Member>[] out = new List[1];
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            boolean preScaling = false;
            List<ClusterRows.Member> ready = new ArrayList<>();
            for (ClusterRows.Member m : ClusterRows.members(c, cl.id())) {
                if (!m.leaving()) {
                    continue;
                }
                MemberStages.Row row = MemberStages.one(c, cl.id(), m.role(), m.index()).orElseThrow();
                MemberStages.Stage stage = row.stage();
                if (stage == null) {
                    if (hookable(m)) {
                        String job = ScalingHooks.run(c, m.instanceId(), ScalingHooks.PRE_SCALE, m.role(), List.of(m.shortName()),
                                "vm_remove", changes);
                        MemberStages.set(c, row, MemberStages.Stage.REMOVE_PRE_SCALE, job, 0);
                        ClusterEvents.append(c, cl.id(), "hook", "pre-scale (vm_remove) asked on " + m.shortName(),
                                Map.of("member", m.shortName(), "job", job));
                        stage = MemberStages.Stage.REMOVE_PRE_SCALE;
                    } else {
                        MemberStages.set(c, row, MemberStages.Stage.READY, null, 0);
                        ClusterEvents.append(c, cl.id(), "lifecycle", m.shortName() + " is "
                                + (m.reportedState() == null ? "not deployed" : m.reportedState()) + ": removed without"
                                + " pre-scale and lifecycle hooks", Map.of("member", m.shortName()));
                        stage = MemberStages.Stage.READY;
                    }
                }
                preScaling |= stage == MemberStages.Stage.REMOVE_PRE_SCALE;
                if (stage == MemberStages.Stage.READY) {
                    ready.add(m);
                }
            }
            out[0] = preScaling ? null : ready;
            return changes;
        });
        return out[0];
    }

    /** A started member on a node: its hooks can run. */
    static boolean hookable(ClusterRows.Member m) {
        return m.partition() != null && InstanceState.STARTED.json().equals(m.reportedState())
                && RequestedState.STARTED.json().equals(m.requestedState());
    }
}
