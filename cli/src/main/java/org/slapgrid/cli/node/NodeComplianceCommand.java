package org.slapgrid.cli.node;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Json;
import org.slapgrid.node.Node;
import org.slapgrid.node.compliance.ComplianceRun;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.slap.model.Compliance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slapos node compliance check|fix|fixable|auto}: runs the node's compliance modules now (docs/compliance.md). */
@Command(name = "compliance", mixinStandardHelpOptions = true,
        description = {"Run the compliance modules attached to this node and its instances.",
                "check: is the node conformant (0 ok, 1 not ok, 2 not applicable, per module)?",
                "fix: check, and when not ok and fixable, fix then check again.",
                "fixable: can each module fix what it checks?",
                "auto: fix the modules attached with autofix, check the others (what the daemon runs daily).",
                "The modules come from releases (their compliance/ directory) and the rulesets from the master,",
                "as OSVC_COMP_<KEY> variables; node-level modules run as root and only from root's own,",
                "unwritable paths; an instance's run as its partition's user. Results go to the master.",
                "Exit status: 0 when every module ends ok or not applicable, 1 otherwise."})
final class NodeComplianceCommand extends NodeVerb {

    @Parameters(index = "0", paramLabel = "ACTION", description = "check, fix, fixable or auto")
    Compliance.Action action;

    @Option(names = "--moduleset", paramLabel = "NAME", description = "only the modules reached through this moduleset")
    String moduleset;

    @Option(names = "--module", paramLabel = "NAME", description = "only this module")
    String module;

    @Option(names = "--json", description = "print every module's outcome and runs as JSON")
    boolean json;

    @Override
    int run(NodeConfig config) throws Exception {
        ComplianceRun run = new ComplianceRun(config, Node.masterClient(config), PartitionLimiter.open(config),
                new PartitionExecutor(), line -> { });
        ComplianceRun.Summary s = run.run(new ComplianceRun.Selection(action, moduleset, module), NodeFormatter.formatted(config));
        if (json) {
            System.out.println(Json.print(s));
        } else {
            print(s);
        }
        if (s.reportError() != null) {
            System.err.println("slapos node compliance: the results did not reach the master: " + s.reportError());
            return ExitCode.FAILURE;
        }
        return s.ok() ? ExitCode.OK : ExitCode.FAILURE;
    }

    private static void print(ComplianceRun.Summary s) {
        if (s.modules().isEmpty()) {
            System.out.println("No compliance module is attached to this node or its instances (or none matches).");
            return;
        }
        for (ComplianceRun.ModuleOutcome o : s.modules()) {
            String target = o.partition() == null ? "node" : o.partition() + " (" + o.instance() + ")";
            System.out.println(target + "  " + o.module() + "  " + ComplianceRun.describe(o.status())
                    + (o.note() == null ? "" : "  (" + o.note() + ")"));
            for (Compliance.Result r : o.runs()) {
                System.out.println("  " + r.action() + "  exit " + r.exitCode() + "  " + r.durationMs() + " ms");
                for (String line : r.output().strip().split("\n")) {
                    if (!line.isBlank()) {
                        System.out.println("    " + line);
                    }
                }
            }
        }
    }
}
