package org.slapgrid.cli.console;

import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.tags.TagExpression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Actions by tag at the master (docs/tags.md): {@code slapos instance start|stop|restart NAME --tags EXPR}
 * and {@code slapos cluster start|stop NAME --tags EXPR}. Desired state: a stopped service stays
 * stopped across convergences until a start selects it again. EXPR is OpenSVC's ({@code sm+pod02,db});
 * a bad one exits 2 before anything is sent.
 */
public final class TagActionCommands {

    private TagActionCommands() {
    }

    /** What the verbs share: the name, the expression, checked here first. */
    abstract static class TagVerb extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--tags", required = true, paramLabel = "EXPR",
                description = "The services whose tags EXPR selects: ',' is or, '+' is and (sm+pod02,db).")
        String tags;

        /** What the master is asked to do to the services: the verb's own name (start, stop, restart). */
        String action() {
            return spec.name();
        }

        abstract Object act(SlapClient client, String canonical);

        abstract String describe(Object answer, String canonical);

        @Override
        final int run(SlapClient client) throws Exception {
            String canonical = canonical(tags);
            Object answer = act(client, canonical);
            return report(answer, describe(answer, canonical));
        }
    }

    /** On one instance. */
    abstract static class InstanceVerb extends TagVerb {
        @Override
        Object act(SlapClient client, String canonical) {
            return client.instanceServices(name, action(), canonical);
        }

        @Override
        String describe(Object answer, String canonical) {
            Instance i = (Instance) answer;
            if (action().equals("restart")) {
                return i.name() + ": services tagged " + canonical + " being restarted by its node " + i.node()
                        + " (a restart job; `slapos info " + i.name() + "` shows them)";
            }
            return i.name() + ": services tagged " + canonical + " " + (action().equals("stop") ? "stopped" : "started")
                    + " (its node " + (i.node() == null ? "(none yet)" : i.node()) + " applies it; "
                    + i.tagRules().stream().filter(r -> r.stopped()).count() + " stop(s) by tag kept)";
        }
    }

    /** On every member of a cluster. */
    abstract static class ClusterVerb extends TagVerb {
        @Override
        Object act(SlapClient client, String canonical) {
            return client.clusterServices(name, action(), canonical);
        }

        @Override
        String describe(Object answer, String canonical) {
            ClusterInfo c = (ClusterInfo) answer;
            int members = c.members() == null ? 0 : c.members().size();
            return "cluster " + c.name() + ": services tagged " + canonical + " "
                    + (action().equals("stop") ? "stopped" : "started") + " on its " + members + " member"
                    + (members == 1 ? "" : "s") + ", each through its node";
        }
    }

    /** The canonical expression; a bad one is bad input (exit 2: nothing was sent). */
    static String canonical(String tags) throws ClientCommand.BadInput {
        try {
            return TagExpression.parse(tags).toString();
        } catch (IllegalArgumentException e) {
            throw new ClientCommand.BadInput(e.getMessage());
        }
    }

    /**
     * {@code slapos cluster restart NAME --tags EXPR} (the rolling restart's command, with
     * {@code --tags}): a restart job of the selected services on every member, at once.
     */
    static int restartTagged(ClientCommand cmd, SlapClient client, String name, String tags) throws Exception {
        String canonical = canonical(tags);
        ClusterInfo c = client.clusterServices(name, "restart", canonical);
        int members = c.members() == null ? 0 : c.members().size();
        return cmd.report(c, "cluster " + c.name() + ": services tagged " + canonical + " being restarted on its "
                + members + " member" + (members == 1 ? "" : "s") + " (a restart job each; `slapos cluster events " + c.name()
                + "` records it)");
    }

    /** {@code slapos instance ...}: actions on one instance's services. */
    @Command(name = TagActionCommands.InstanceCommand.NAME, mixinStandardHelpOptions = true,
            description = TagActionCommands.InstanceCommand.SUMMARY,
            subcommands = {InstanceStart.class, InstanceStop.class, InstanceRestart.class})
    public static final class InstanceCommand extends GroupCommand {

        /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
        public static final String NAME = "instance";

        /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
        public static final String SUMMARY =
                "Act on the services of one of your instances by tag (desired state, kept by the master).";
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the instance's services that --tags selects; they stay stopped until started again.")
    public static final class InstanceStop extends InstanceVerb {
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start again the instance's services that --tags selects.")
    public static final class InstanceStart extends InstanceVerb {
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Restart, once, the instance's services that --tags selects (never one stopped on purpose).")
    public static final class InstanceRestart extends InstanceVerb {
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop, on every member, the services that --tags selects; they stay stopped until started again.")
    public static final class ClusterStop extends ClusterVerb {
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start again, on every member, the services that --tags selects.")
    public static final class ClusterStart extends ClusterVerb {
    }
}
