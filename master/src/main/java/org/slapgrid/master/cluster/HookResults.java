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
            if (member == null && Lifecycle.KIND.equals(job.kind())) {
                // a termination script that completed its token ends after its member left the
                // cluster: its token's row still says which cluster and member it was
                String[] left = Sql.one(c, "SELECT cluster_id, member FROM lifecycle_token WHERE instance_id = ?"
                        + " ORDER BY created_at DESC LIMIT 1", rs -> new String[] {rs.getString(1), rs.getString(2)}, instanceId)
                        .orElse(null);
                if (left != null && ClusterRows.byId(c, left[0]).isPresent()) {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("member", left[1]);
                    details.put("hook", "lifecycle/termination");
                    details.put("state", job.state().name());
                    details.put("exitCode", job.exitCode());
                    details.put("durationMs", job.durationMs());
                    details.put("output", job.output() == null ? "" : job.output());
                    details.put("job", job.id());
                    ClusterEvents.append(c, left[0], "hook-result", "lifecycle/termination on " + left[1] + ": "
                            + ScalingDriver.outcome(job), details);
                }
                return null;
            }
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
