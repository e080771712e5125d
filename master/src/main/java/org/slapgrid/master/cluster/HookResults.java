package org.slapgrid.master.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.JobInfo;

/**
 * A scaling or lifecycle hook's end, in its cluster's events: which hook on which member,
 * exit status, duration and output (the output in the details; its last line in the message).
 */
final class HookResults {
    private HookResults() {
    }

    static void record(Database db, JobInfo job) {
        db.transaction(c -> {
            String instanceId = Sql.one(c, "SELECT instance_id FROM partition_job WHERE id = ?", rs -> rs.getString(1), job.id())
                    .orElse(null);
            if (instanceId == null) {
                return null;
            }
            var member = MemberStages.byInstance(c, instanceId).orElse(null);
            if (member == null) {
                return null;
            }
            String hook = Lifecycle.KIND.equals(job.kind()) ? "lifecycle/termination" : String.valueOf(job.args().get("hook"));
            Map<String, Object> details = new LinkedHashMap<>(ScalingDriver.hookDetails(member, job));
            details.put("hook", hook);
            details.put("job", job.id());
            details.remove("token");
            ClusterEvents.append(c, member.clusterId(), "hook-result", hook + " on " + member.shortName() + ": "
                    + ScalingDriver.outcome(job), details);
            return null;
        });
    }
}
