package org.slapgrid.cli.node;

import java.util.ArrayList;
import java.util.List;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.instance.LocalTagRules;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The node's services by hand: {@code start|stop|restart|tail [PARTITION[:SERVICE]]} over the
 * node's supervisord, and {@code supervisorctl ...} for anything else; {@code --tags EXPR}
 * narrows the target to the services whose tags it selects (OpenSVC's syntax, docs/tags.md).
 * {@code stop [PARTITION] --tags EXPR} is this node's desired state ({@link LocalTagRules}): every
 * convergence keeps those services stopped, shown as stopped on purpose, until {@code start
 * [PARTITION] --tags EXPR}. Without {@code --tags} (or for one {@code PARTITION:SERVICE}), a
 * stop lasts until the next convergence of its partition; a stop that the master keeps is
 * {@code slapos instance stop NAME --tags EXPR}.
 */
final class NodeServiceCommands {

    private NodeServiceCommands() {
    }

    /** What the verbs share: the target and the resolution of program names. */
    abstract static class ServiceVerb extends NodeVerb {

        @Parameters(arity = "0..1", paramLabel = "PARTITION[:SERVICE]",
                description = "A partition (all its services) or one service of it; default: every service.")
        String target;

        @Option(names = "--tags", paramLabel = "EXPR",
                description = "Only the services whose tags EXPR selects: ',' is or, '+' is and (sm+pod02,db).")
        String tags;

        /** The verb's supervisord, once {@code --tags} is known good (a bad one: exit 2 before anything is touched). */
        Supervisor supervisor(NodeConfig config) {
            if (tags != null) {
                org.slapgrid.slap.tags.TagExpression.parse(tags);
            }
            return org.slapgrid.node.Node.supervisorOf(config);
        }

        /** The supervisord programs the target names; an unknown target is an error naming it. */
        List<String> programs(Supervisor supervisor) {
            List<String> names = new ArrayList<>();
            org.slapgrid.slap.tags.TagExpression selection = tags == null ? null : org.slapgrid.slap.tags.TagExpression.parse(tags);
            var managed = supervisor.managedPrograms();
            String partition = target == null ? null : target.split(":", 2)[0];
            String service = target != null && target.contains(":") ? target.split(":", 2)[1] : null;
            for (ProcessInfo p : supervisor.client().getAllProcessInfo()) {
                boolean inPartition = partition == null || p.name().startsWith(partition + "_");
                boolean isService = service == null || p.name().equals(partition + "_" + service);
                var m = managed.get(p.name());
                boolean tagged = selection == null || (m != null && selection.matches(m.spec().tags()));
                if (inPartition && isService && tagged) {
                    names.add(p.name());
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException(target == null && tags == null ? "supervisord runs no program"
                        : "no service matches '" + (target == null ? "" : target) + (tags == null ? "" : " --tags " + tags)
                        + "' (see `slapos node status`)");
            }
            return names;
        }

        /**
         * Keeps a stop ({@code stopped}) or start by {@code --tags} as this node's desired state of
         * the target partition, or of every partition hosting an instance; nothing without
         * {@code --tags} or for one service.
         */
        void remember(NodeConfig config, boolean stopped) throws java.io.IOException {
            if (tags == null || (target != null && target.contains(":"))) {
                return;
            }
            List<String> partitions = new ArrayList<>();
            if (target != null) {
                partitions.add(target);
            } else {
                for (var p : org.slapgrid.node.format.NodeFormatter.formatted(config)) {
                    if (java.nio.file.Files.isDirectory(LocalTagRules.fileOf(config.stateDirectory(), p.id()).getParent())) {
                        partitions.add(p.id());
                    }
                }
            }
            for (String p : partitions) {
                LocalTagRules.add(config.stateDirectory(), p, tags, stopped);
                System.out.println(p + ": services --tags " + tags + (stopped
                        ? " kept stopped by this node (until `slapos node start " + p + " --tags " + tags + "`)"
                        : " no longer kept stopped by this node"));
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start services of the node.")
    static final class Start extends ServiceVerb {
        @Override
        int run(NodeConfig config) throws java.io.IOException {
            Supervisor s = supervisor(config);
            s.ensureRunning();
            List<String> programs = programs(s);
            remember(config, false); // first: the daemon, looking now, no longer holds them
            for (String p : programs) {
                ProcessInfo info = s.client().getProcessInfo(p);
                if (!info.state().isRunningState()) {
                    s.client().startProcess(p, true);
                }
                System.out.println(p + ": started");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop services of the node.")
    static final class Stop extends ServiceVerb {
        @Override
        int run(NodeConfig config) throws java.io.IOException {
            Supervisor s = supervisor(config);
            List<String> programs = programs(s);
            remember(config, true); // first: the daemon, looking now, does not start them again
            for (String p : programs) {
                if (s.client().getProcessInfo(p).state().isRunningState()) {
                    s.client().stopProcess(p, true);
                }
                System.out.println(p + ": stopped");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart services of the node.")
    static final class Restart extends ServiceVerb {
        @Override
        int run(NodeConfig config) {
            Supervisor s = supervisor(config);
            s.ensureRunning();
            for (String p : programs(s)) {
                if (s.client().getProcessInfo(p).state().isRunningState()) {
                    s.client().stopProcess(p, true);
                }
                s.client().startProcess(p, true);
                System.out.println(p + ": restarted (pid " + s.client().getProcessInfo(p).pid() + ")");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the end of services' logs.")
    static final class Tail extends ServiceVerb {
        @Option(names = {"-n", "--bytes"}, defaultValue = "4000", description = "How much of each log (default: ${DEFAULT-VALUE} bytes).")
        int bytes;

        @Override
        int run(NodeConfig config) {
            Supervisor s = supervisor(config);
            for (String p : programs(s)) {
                System.out.println("==> " + p + " <==");
                System.out.print(s.client().tailProcessStdoutLog(p, bytes));
                System.out.println();
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "supervisorctl", mixinStandardHelpOptions = false,
            description = "Run supervisorctl on the node's supervisord, e.g. `slapos node supervisorctl status`.")
    static final class Supervisorctl extends NodeVerb {
        @Parameters(arity = "0..*", paramLabel = "ARG", description = "supervisorctl's arguments.")
        List<String> args = new ArrayList<>();

        @Override
        int run(NodeConfig config) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("supervisorctl", "-c",
                    SupervisorLayout.under(config.instanceRoot()).configFile().toString()));
            cmd.addAll(args);
            return new ProcessBuilder(cmd).inheritIO().start().waitFor();
        }
    }
}
