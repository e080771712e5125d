package org.slapgrid.node.compliance;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.jobs.JobContext;
import org.slapgrid.node.jobs.JobKind;
import org.slapgrid.node.jobs.JobOutcome;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.PartitionJob;

/**
 * {@code compliance}: a run the master asked for ({@code slapos compliance run}, docs/compliance.md).
 * As a partition job: the modules of the partition's instance, as its user; as a node-level
 * job ({@link #runNodeLevel}): the node's own modules, as root. Either way exactly what
 * {@code slapos node compliance ACTION} does for that target: every result goes to the master,
 * and the job ends DONE with each module's status in its result ({@code modules}); exit code 0
 * when every module is ok (0 or 2), 1 otherwise. A {@code --moduleset} or {@code --module} that
 * reaches no module there fails the job, naming it.
 */
public final class ComplianceJob implements JobKind {
    public static final String KIND = "compliance";

    private final NodeConfig config;
    private final PartitionLimiter limits;
    private final java.util.function.Consumer<String> log;

    public ComplianceJob(NodeConfig config, PartitionLimiter limits, java.util.function.Consumer<String> log) {
        this.config = config;
        this.limits = limits;
        this.log = log;
    }

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofHours(2);
    }

    @Override
    public JobOutcome run(JobContext ctx) throws IOException {
        return run(ctx.job(), ctx.master(), ctx.executor(), ctx.partition().id(), List.of(ctx.partition()));
    }

    /** The node-level job of the same kind: the node's own modules. */
    public JobOutcome runNodeLevel(PartitionJob job, SlapClient master, List<Partition> partitions) throws IOException {
        return run(job, master, new PartitionExecutor(), ComplianceRun.Selection.NODE_LEVEL, partitions);
    }

    private JobOutcome run(PartitionJob job, SlapClient master, PartitionExecutor executor, String scope,
                           List<Partition> partitions) throws IOException {
        Action action;
        try {
            action = Action.valueOf(String.valueOf(job.args().getOrDefault("action", "check")));
        } catch (IllegalArgumentException e) {
            return JobOutcome.failed("action must be check, fix, fixable or auto (got '" + job.args().get("action") + "')");
        }
        String moduleset = (String) job.args().get("moduleset");
        String module = (String) job.args().get("module");
        ComplianceRun.Summary s = new ComplianceRun(config, master, limits, executor, log)
                .run(new ComplianceRun.Selection(action, moduleset, module, scope), partitions);
        String where = scope.equals(ComplianceRun.Selection.NODE_LEVEL) ? "node " + config.nodeId() : "partition " + scope;
        if (s.modules().isEmpty() && (moduleset != null || module != null)) {
            return JobOutcome.failed("no module " + (module != null ? "'" + module + "'" : "of moduleset '" + moduleset + "'")
                    + " is attached to " + where);
        }
        List<Map<String, Object>> modules = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (ComplianceRun.ModuleOutcome o : s.modules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partition", o.partition());
            m.put("instance", o.instance());
            m.put("module", o.module());
            m.put("status", o.status());
            m.put("note", o.note());
            modules.add(m);
            text.append(o.module()).append(' ').append(action).append(": ").append(ComplianceRun.describe(o.status()))
                    .append(o.note() == null ? "" : " (" + o.note() + ")").append('\n');
        }
        if (s.modules().isEmpty()) {
            text.append("no module is attached to ").append(where).append('\n');
        }
        if (s.reportError() != null) {
            text.append("the results could not go to the master: ").append(s.reportError()).append('\n');
        }
        return new JobOutcome(true, s.ok() ? 0 : 1, text.toString(), Map.of("modules", modules, "ok", s.ok()));
    }
}
