package org.slapgrid.cli.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterBackup;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos cluster backup|backups|backup-delete|restore|restart} (docs/clusters.md). The
 * operations run at the master while the nodes do their part; the verbs wait for the task to be
 * NONE again (unless {@code --no-wait}) and exit 1 when it ended with an error, printing it.
 */
final class ClusterBackupCommands {
    private ClusterBackupCommands() {
    }

    static void print(ClientCommand cmd, List<ClusterBackup> backups) throws Exception {
        if (cmd.json()) {
            cmd.printJson(backups);
            return;
        }
        Table t = new Table("BACKUP", "CLUSTER", "TAKEN", "ROLES", "PARTS", "BYTES");
        for (ClusterBackup b : backups) {
            t.row(b.id(), b.cluster(), Instant.ofEpochMilli(b.createdAt()).toString(),
                    String.join(" ", b.roles().stream().map(r -> r.name() + "=" + r.count()).toList()),
                    String.join(" ", b.parts().stream().map(p -> p.member() + ":" + p.sha256().substring(0, 12)).toList()),
                    Long.toString(b.parts().stream().mapToLong(ClusterBackup.Part::size).sum()));
        }
        t.print(cmd.out());
        cmd.out().flush();
    }

    /** The backup verbs' wait: an hour by default (a backup or a restore moves data). */
    abstract static class Waiting extends ClusterTaskWait.Verb {
        @Override
        Duration defaultTimeout() {
            return Duration.ofHours(1);
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Back up every member (its etc/backup) into ONE backup entry; refused while the cluster is busy."
                    + " Waits for the end; a member that fails fails the backup, named.")
    public static final class Backup extends Waiting {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(SlapClient client) throws Exception {
            ClusterInfo started = client.backupCluster(name);
            if (noWait) {
                ClusterCommand.print(this, started);
                return ExitCode.OK;
            }
            int rc = outcome(waited(client, client.cluster(name)));
            if (rc == ExitCode.OK) {
                List<ClusterBackup> all = client.clusterBackups(name);
                print(this, all.isEmpty() ? List.of() : List.of(all.get(0)));
            }
            return rc;
        }
    }

    @Command(name = "backups", mixinStandardHelpOptions = true, description = "The backups of cluster NAME, newest first.")
    public static final class Backups extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(SlapClient client) throws Exception {
            print(this, client.clusterBackups(name));
            return ExitCode.OK;
        }
    }

    @Command(name = "backup-delete", mixinStandardHelpOptions = true, description = "Forget backup ID and remove its parts.")
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(SlapClient client) throws Exception {
            client.deleteBackup(id);
            NodeAdminCommands.report(this, java.util.Map.of("deleted", id), "backup " + id + " deleted");
            return ExitCode.OK;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore backup ID into a new cluster (same roles and size as the backup; refused otherwise,"
                    + " naming the difference); each member runs etc/restore with its part.")
    public static final class Restore extends Waiting {
        @Parameters(index = "0", paramLabel = "BACKUP")
        String id;

        @Option(names = "--name", required = true, paramLabel = "NEW", description = "the new cluster's name")
        String name;

        @Option(names = "--role", paramLabel = "ROLE:count=N", description = "must match the backup's roles (default: them)")
        List<String> roles = new ArrayList<>();

        @Override
        int run(SlapClient client) throws Exception {
            List<ClusterRole> parsed = new ArrayList<>();
            try {
                for (String r : roles) {
                    parsed.add(ClusterCommand.parseRole(r));
                }
            } catch (ClusterCommand.BadRole e) {
                return usage(e.getMessage());
            }
            ClusterInfo started = client.restoreBackup(id, name, parsed);
            ClusterInfo c = noWait ? started : waited(client, client.cluster(name));
            int rc = outcome(c);
            if (rc == ExitCode.OK) {
                ClusterCommand.print(this, c);
            }
            return rc;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Rolling restart: one member at a time, each until its promises are kept again; refused while the"
                    + " cluster or a member is busy, or a member is in error.")
    public static final class Restart extends Waiting {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Option(names = "--tags", paramLabel = "EXPR", description = "only the services whose tags EXPR"
                + " selects (',' or, '+' and: sm+pod02,db), on every member at once, never one stopped on purpose"
                + " (docs/tags.md); without it, the rolling restart of whole members")
        String tags;

        @Override
        int run(SlapClient client) throws Exception {
            if (tags != null) {
                return TagActionCommands.restartTagged(this, client, name, tags);
            }
            ClusterInfo started = client.restartCluster(name);
            ClusterInfo c = noWait ? started : waited(client, client.cluster(name));
            int rc = outcome(c);
            if (rc == ExitCode.OK) {
                ClusterCommand.print(this, c);
            }
            return rc;
        }
    }
}
