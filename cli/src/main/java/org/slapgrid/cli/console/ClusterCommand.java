package org.slapgrid.cli.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos cluster create|list|show|grow|shrink|promote|destroy} (docs/clusters.md). A
 * refusal prints the master's message (which names the rule) and exits 1; bad input exits 2.
 */
@Command(name = ClusterCommand.NAME, mixinStandardHelpOptions = true,
        description = ClusterCommand.SUMMARY,
        subcommands = {ClusterCommand.Create.class, ClusterCommand.ListClusters.class, ClusterCommand.Show.class,
                ClusterCommand.Grow.class, ClusterCommand.Shrink.class, ClusterCommand.Promote.class, ClusterCommand.Destroy.class,
                TagActionCommands.ClusterStart.class, TagActionCommands.ClusterStop.class,
                ClusterMetricsCommand.class, ClusterPolicyCommand.class,
                ClusterEventsCommand.class, ClusterSwitchCommand.class,
                ClusterVerticalCommands.Resize.class, ClusterVerticalCommands.Attach.class, ClusterVerticalCommands.Detach.class,
                ClusterDeletionPolicyCommand.class,
                ClusterBackupCommands.Backup.class, ClusterBackupCommands.Backups.class,
                ClusterBackupCommands.Delete.class, ClusterBackupCommands.Restore.class, ClusterBackupCommands.Restart.class,
                ClusterStatusCommand.class})
public final class ClusterCommand extends GroupCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "cluster";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Manage clusters: groups of instances spread over nodes, with roles, a topology and a primary.";

    /** {@code db:count=3,min=2,max=9,type=mariadb} as a role (count defaults to 1, min to 1, max to count). */
    static ClusterRole parseRole(String spec) throws ClientCommand.BadInput {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        Integer count = null;
        Integer min = null;
        Integer max = null;
        String type = null;
        if (colon >= 0 && colon < spec.length() - 1) {
            for (String kv : spec.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new ClientCommand.BadInput("--role " + spec + ": '" + kv + "' is not KEY=VALUE (keys: count, min, max, type)");
                }
                String key = kv.substring(0, eq);
                String value = kv.substring(eq + 1);
                switch (key) {
                    case "count" -> count = number(spec, key, value);
                    case "min" -> min = number(spec, key, value);
                    case "max" -> max = number(spec, key, value);
                    case "type" -> type = value;
                    default -> throw new ClientCommand.BadInput("--role " + spec + ": unknown key '" + key + "' (keys: count, min, max, type)");
                }
            }
        }
        return new ClusterRole(name, type, null, count, min, max);
    }

    /** Each {@code --role} value as a role. */
    static List<ClusterRole> parseRoles(List<String> specs) throws ClientCommand.BadInput {
        List<ClusterRole> parsed = new ArrayList<>();
        for (String r : specs) {
            parsed.add(parseRole(r));
        }
        return parsed;
    }

    private static int number(String spec, String key, String value) throws ClientCommand.BadInput {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ClientCommand.BadInput("--role " + spec + ": " + key + " must be a whole number (got '" + value + "')");
        }
    }

    /** Prints a cluster as the master answered (JSON with --json, else {@link #plain}). */
    static void print(ClientCommand cmd, ClusterInfo c) throws Exception {
        cmd.show(c, ClusterCommand::plain);
    }

    /** A cluster: a summary, then its members (with their connection parameters), then the notes. */
    static void plain(ClusterInfo c, PrintWriter out) {
        Table t = new Table("FIELD", "VALUE")
                .row("name", c.name())
                .row("owner", c.owner())
                .row("software", c.softwareUrl())
                .row("topology", c.topology().json())
                .row("primary", c.primary())
                .row("status", c.status())
                .row("flex", c.flexMin() == null ? null : "min " + c.flexMin() + ", max " + (c.flexMax() == 0 ? "none" : c.flexMax()))
                .row("primary lost after", c.primaryLostAfterSeconds() == null ? null : c.primaryLostAfterSeconds() + " s")
                .row("task", c.task())
                .row("roles", roles(c));
        if (c.lastError() != null) {
            t.row("last error", c.lastError());
        }
        t.print(out);
        if (c.members() != null) {
            Table m = new Table("MEMBER", "ROLE", "NODE", "PARTITION", "STATE", "CONNECTION");
            for (ClusterMember x : c.members()) {
                m.row(x.name(), x.role(), x.node(), x.partition(), ClientCommand.state(x.requestedState(), x.reportedState()),
                        new TreeMap<>(x.connectionParameters()).entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
            }
            out.println();
            m.print(out);
        }
        for (String note : c.notes() == null ? List.<String>of() : c.notes()) {
            out.println("note: " + note);
        }
    }

    /** A verb on cluster NAME whose one call answers the cluster, printed whole. */
    abstract static class OnCluster extends ClientCommand.Named<ClusterInfo> {
        @Override
        void plain(ClusterInfo c, PrintWriter out) {
            ClusterCommand.plain(c, out);
        }
    }

    /** {@code db=3 (2-9, mariadb)}, one per role. */
    static String roles(ClusterInfo c) {
        return c.roles().stream().map(r -> r.name() + "=" + r.count() + " (" + r.min() + "-" + r.max() + ", " + r.softwareType() + ")")
                .collect(Collectors.joining(" "));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create cluster NAME of release URL and place its members, spread over the nodes you may use"
                    + " (the release is supplied to them for you).")
    public static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "URL", description = "the software release")
        String url;

        @Option(names = "--role", required = true, paramLabel = "ROLE:count=N,min=N,max=N,type=T",
                description = "a member type (repeatable), e.g. db:count=3,min=2,max=9")
        List<String> roles = new ArrayList<>();

        @Option(names = "--topology", paramLabel = "flex|failover", description = "flex (default): every member up;"
                + " failover: one primary, the others replicas")
        String topology;

        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "a parameter of every member (repeatable)")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--flex-min", paramLabel = "N", description = "flex: below N members up, the status is warn (default 1)")
        Integer flexMin;

        @Option(names = "--flex-max", paramLabel = "N", description = "flex: at most N members (default 0: no bound but the roles')")
        Integer flexMax;

        @Option(names = "--flex-primary", paramLabel = "MEMBER", description = "flex: the primary (default: the first member, e.g. db.0)")
        String flexPrimary;

        @Option(names = "--primary-lost-after", paramLabel = "SECONDS",
                description = "hand the flex primary to the next member when its node is silent this long (default 60)")
        Integer primaryLostAfter;

        @Option(names = "--policy", paramLabel = "ROLE:metric=M,above=V,above-for=D,below=V,below-for=D,step=N,cooldown=D",
                description = "an autoscaling policy, set once the cluster exists (repeatable; as `slapos cluster policy`)")
        List<String> policies = new ArrayList<>();

        @Override
        int run(SlapClient client) throws Exception {
            List<ClusterRole> parsed = parseRoles(roles);
            ClusterTopology top;
            List<org.slapgrid.slap.model.ScalingPolicy> scaling = new ArrayList<>();
            try {
                top = topology == null ? null : ClusterTopology.parse(topology);
            } catch (IllegalArgumentException e) {
                return usage("--topology: " + e.getMessage());
            }
            try {
                for (String p : policies) {
                    scaling.add(ClusterPolicyCommand.parseSpec(p));
                }
            } catch (IllegalArgumentException e) {
                return usage(e.getMessage());
            }
            print(this, client.createCluster(new ClusterRequest(name, url, top, new LinkedHashMap<>(params), parsed,
                    flexMin, flexMax, flexPrimary, primaryLostAfter)));
            for (org.slapgrid.slap.model.ScalingPolicy p : scaling) {
                org.slapgrid.slap.model.ScalingPolicy set = client.setScalingPolicy(name, p);
                if (!json()) { // --json prints the cluster alone, one document
                    ClusterPolicyCommand.printSet(this, name, set);
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Your clusters (the admin: every cluster): names, sizes, primary, task.")
    public static final class ListClusters extends ClientCommand.Answer<List<ClusterInfo>> {
        @Option(names = "--detailed", description = "every member too, with its node, state and connection parameters")
        boolean detailed;

        @Override
        List<ClusterInfo> call(SlapClient client) {
            return client.clusters(detailed);
        }

        @Override
        void plain(List<ClusterInfo> all, PrintWriter out) {
            if (detailed) {
                for (ClusterInfo c : all) {
                    ClusterCommand.plain(c, out);
                    out.println();
                }
                return;
            }
            Table t = new Table("NAME", "OWNER", "TOPOLOGY", "ROLES", "PRIMARY", "TASK");
            for (ClusterInfo c : all) {
                t.row(c.name(), c.owner(), c.topology().json(), roles(c), c.primary(), c.task());
            }
            t.print(out);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One cluster and every member.")
    public static final class Show extends OnCluster {
        @Override
        ClusterInfo call(SlapClient client) {
            return client.cluster(name);
        }
    }

    @Command(name = "grow", mixinStandardHelpOptions = true,
            description = "Add members of a role (refused above the role's maximum, and while the cluster is busy).")
    public static final class Grow extends OnCluster {
        @Option(names = "--role", required = true, paramLabel = "ROLE")
        String role;

        @Option(names = "--count", paramLabel = "K", description = "how many members to add (default 1)")
        Integer count;

        @Override
        ClusterInfo call(SlapClient client) {
            return client.growCluster(name, role, count);
        }
    }

    @Command(name = "shrink", mixinStandardHelpOptions = true,
            description = "Drop members (db.2 or NAME/db.2), all at once; refused when a role would go under its minimum,"
                    + " for the primary, and while the cluster is busy.")
    public static final class Shrink extends OnCluster {
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER")
        List<String> members = new ArrayList<>();

        @Option(names = "--role", paramLabel = "ROLE", description = "instead of MEMBERs: drop --count members of ROLE,"
                + " chosen by the cluster's deletion policy")
        String role;

        @Option(names = "--count", paramLabel = "K", description = "with --role: how many (default 1)")
        Integer count;

        @Override
        ClusterInfo call(SlapClient client) throws BadInput {
            if (members.isEmpty() == (role == null)) {
                throw new BadInput("name the MEMBERs to drop, or give --role (and --count)");
            }
            return role == null ? client.shrinkCluster(name, members) : client.shrinkCluster(name, role, count);
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make MEMBER the primary of a failover cluster; refused while the primary is healthy, unless --force.")
    public static final class Promote extends OnCluster {
        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Option(names = "--force", description = "even over a healthy primary")
        boolean force;

        @Override
        ClusterInfo call(SlapClient client) {
            return client.promoteCluster(name, member, force);
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = "Destroy every member and forget the cluster (refused while it is busy).")
    public static final class Destroy extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(SlapClient client) throws Exception {
            ClusterInfo c = client.destroyCluster(name);
            return report(c, "destroying cluster " + c.name() + ": its "
                    + (c.members() == null ? 0 : c.members().size()) + " members are being destroyed by their nodes");
        }
    }
}
