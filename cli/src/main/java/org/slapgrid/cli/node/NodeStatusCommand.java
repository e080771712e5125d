package org.slapgrid.cli.node;

import java.time.Duration;
import java.util.List;


import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Json;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.slap.Sizes;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.status.NodeStatus;
import org.slapgrid.node.supervisor.Supervisor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slapos node status}: a tree per partition, from the node's own state and supervisord. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show partitions, services, promises and overall state.",
                "Show each partition: its instance, every service with its process state, pid and uptime,",
                "every promise with its last result, and an overall state (up, warn, down, stopped, free).",
                "Reads the node's own state and supervisord; needs no master."})
final class NodeStatusCommand extends NodeVerb {

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Override
    int run(NodeConfig config) throws Exception {
        Supervisor supervisor = org.slapgrid.node.Node.supervisorOf(config);
        NodeStatus.Status s = NodeStatus.collect(config, supervisor);
        if (json) {
            System.out.println(Json.print(s));
            return ExitCode.OK;
        }
        System.out.println("node " + s.nodeId() + "  " + s.overall()
                + (s.supervisorRunning() ? "" : "  (supervisord is not running: no service runs)"));
        System.out.println("limits per partition: " + s.limits());
        System.out.println("partition addresses: " + s.addresses());
        List<NodeStatus.PartitionStatus> parts = s.partitions();
        for (int i = 0; i < parts.size(); i++) {
            NodeStatus.PartitionStatus p = parts.get(i);
            boolean lastPartition = i == parts.size() - 1;
            String head = (lastPartition ? "└─ " : "├─ ") + pad(p.id(), 11) + pad(p.overall(), 8) + pad(p.ipv4(), 15);
            System.out.println(head + (p.instance() == null ? "" : "instance " + p.instance() + " (" + p.requestedState() + ")"
                    + (p.convergedAt() == null ? ", not converged yet" : ", converged " + p.convergedAt())));
            String indent = lastPartition ? "   " : "│  ";
            List<String> resources = resources(p);
            int rows = p.services().size() + p.promises().size() + resources.size();
            int row = 0;
            for (String r : resources) {
                System.out.println(indent + (++row == rows ? "└─ " : "├─ ") + r);
            }
            for (NodeStatus.Service svc : p.services()) {
                String detail = svc.pid() > 0 ? "pid " + pad(Integer.toString(svc.pid()), 8) + "up " + uptime(svc.uptime())
                        : svc.state().equals("EXITED") ? "exit status " + svc.exitStatus() : "";
                System.out.println(indent + (++row == rows ? "└─ " : "├─ ") + (svc.runOnce() ? "run     " : "service ")
                        + pad(svc.name(), 20) + (svc.stoppedOnPurpose() ? "stopped on purpose (" + svc.heldBy() + ") " : pad(svc.state(), 9))
                        + detail + (svc.tags().isEmpty() ? "" : "  [" + String.join(" ", svc.tags()) + "]"));
            }
            for (PromiseResult pr : p.promises()) {
                System.out.println(indent + (++row == rows ? "└─ " : "├─ ") + "promise " + pad(pr.name(), 20) + pr.describe());
            }
        }
        return ExitCode.OK;
    }

    /** The partition's cgroup limits and use, and its disk use against the quota. */
    private static List<String> resources(NodeStatus.PartitionStatus p) {
        List<String> out = new java.util.ArrayList<>();
        if (p.limits() != null && p.usage() != null) {
            var l = p.limits();
            var u = p.usage();
            out.add("limits  memory " + Sizes.format(u.memoryBytes()) + " of "
                    + (l.memoryBytes() == 0 ? "unlimited" : Sizes.format(l.memoryBytes()))
                    + ", processes " + u.processes() + " of " + (l.maxProcesses() == 0 ? "unlimited" : l.maxProcesses())
                    + (l.cpus() == 0 ? "" : ", " + l.cpus() + " CPUs")
                    + (u.oomKills() > 0 ? ", " + u.oomKills() + " killed for memory" : "")
                    + (u.refusedForks() > 0 ? ", " + u.refusedForks() + " forks refused" : ""));
        }
        if (p.disk() != null) {
            out.add("disk    " + p.disk().describe()
                    + (p.disk().exceeded() ? " ([slapos] partition_disk_quota)" : ""));
        }
        return out;
    }

    private static String pad(String s, int width) {
        String v = s == null ? "" : s;
        return v.length() >= width ? v + " " : v + " ".repeat(width - v.length());
    }

    private static String uptime(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
