package org.slapgrid.cli.console;

import java.time.Duration;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Compliance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos compliance run} and {@code run-status}: the master asks a node (its node-level
 * modules), an instance or every member of a cluster to run compliance now, through a job on
 * each node; the results go to the master as any run's ({@code slapos compliance results}).
 * With {@code --wait}: until every part ended, exit 1 when a module is not ok, a part failed or
 * the wait timed out.
 */
final class ComplianceRunCommands {
    /** How often the master's answer is read ({@link TaskWait}). */
    private static final Duration POLL = Duration.ofMillis(500);

    private ComplianceRunCommands() {
    }

    /** {@code --wait} and {@code --timeout}, and how a run is shown. */
    abstract static class Waiting extends ClientCommand {
        @Option(names = "--wait", description = "wait until every node ended its part; exit 1 when a module is not ok")
        boolean waitForIt;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long --wait waits (default 3600)")
        long timeoutSeconds = 3600;

        int shown(SlapClient client, Compliance.Run run) throws Exception {
            if (waitForIt) {
                String id = run.id();
                run = TaskWait.until(run, r -> r.state().isFinal(), () -> client.compliance().run(id), POLL,
                        Duration.ofSeconds(timeoutSeconds));
            }
            print(run);
            if (!waitForIt) {
                return ExitCode.OK;
            }
            if (!run.state().isFinal()) {
                return TaskWait.stillRunning(this, "run " + run.id(), run.state(), Duration.ofSeconds(timeoutSeconds),
                        "slapos compliance run-status " + run.id());
            }
            return run.ok() ? ExitCode.OK : ExitCode.FAILURE;
        }

        private void print(Compliance.Run run) throws Exception {
            if (json()) {
                printJson(run);
                return;
            }
            out().println("compliance run " + run.id() + ": " + run.action() + " of " + run.targetKind() + " " + run.target()
                    + (run.moduleset() == null ? "" : " --moduleset " + run.moduleset())
                    + (run.module() == null ? "" : " --module " + run.module()) + ": " + run.state()
                    + (run.state().isFinal() ? (run.ok() ? ", ok" : ", not ok") : ""));
            Table t = new Table("NODE", "PARTITION", "INSTANCE", "MODULE", "STATUS", "NOTE");
            for (Compliance.RunPart p : run.parts()) {
                if (p.modules().isEmpty()) {
                    String first = p.output() == null ? "" : p.output().strip().lines().findFirst().orElse("");
                    t.row(p.node(), p.partition(), p.instance(), null, p.state(), first);
                }
                for (Compliance.ModuleStatus m : p.modules()) {
                    t.row(p.node(), m.partition(), m.instance(), m.module(), describe(m.status()), m.note());
                }
            }
            t.print(out());
            if (!run.state().isFinal() && !waitForIt) {
                out().println("`slapos compliance run-status " + run.id() + " --wait` waits for it; `slapos compliance results "
                        + run.target() + "` shows every module's runs");
            }
            out().flush();
        }

        private static String describe(int status) {
            return switch (status) {
                case 0 -> "ok";
                case 1 -> "not ok";
                case 2 -> "n/a";
                case -1 -> "not run";
                default -> "error (" + status + ")";
            };
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Ask a node (its node-level modules), an instance or a cluster's members to run compliance now.",
                    "Each node runs it as `slapos node compliance ACTION` would; results: `slapos compliance results`."})
    static final class Run extends Waiting {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "a node you own (or any, as the admin)")
        String node;
        @Option(names = "--instance", paramLabel = "NAME", description = "your instance: the modules of its release")
        String instance;
        @Option(names = "--cluster", paramLabel = "NAME", description = "your cluster: every member's instance")
        String cluster;
        @Option(names = "--action", paramLabel = "ACTION", description = "check (default), fix, fixable or auto")
        String action = "check";
        @Option(names = "--moduleset", paramLabel = "NAME", description = "only the modules reached through it")
        String moduleset;
        @Option(names = "--module", paramLabel = "NAME", description = "only this module")
        String module;

        @Override
        int run(SlapClient client) throws Exception {
            int given = (node != null ? 1 : 0) + (instance != null ? 1 : 0) + (cluster != null ? 1 : 0);
            if (given != 1) {
                throw new BadInput("name exactly one target: NODE, --instance NAME or --cluster NAME");
            }
            Compliance.Action a;
            try {
                a = Compliance.Action.valueOf(action);
            } catch (IllegalArgumentException e) {
                throw new BadInput("--action " + action + ": write check, fix, fixable or auto");
            }
            return shown(client, client.compliance().run(new Compliance.RunRequest(ComplianceCommand.Target.kind(node, instance),
                    ComplianceCommand.Target.name(node, instance, cluster), a, moduleset, module)));
        }
    }

    @Command(name = "run-status", mixinStandardHelpOptions = true,
            description = "A compliance run you asked for: each node's part and, once ended, each module's status.")
    static final class RunStatus extends Waiting {
        @Parameters(index = "0", paramLabel = "RUN")
        String id;

        @Override
        int run(SlapClient client) throws Exception {
            return shown(client, client.compliance().run(id));
        }
    }
}
