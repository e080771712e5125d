package org.slapgrid.cli.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterBackup;
import org.slapgrid.slap.model.ClusterInfo;
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

    /** Backups, one row each. */
    static void plain(List<ClusterBackup> backups, PrintWriter out) {
        Table t = new Table("BACKUP", "CLUSTER", "TAKEN", "ROLES", "PARTS", "BYTES");
        for (ClusterBackup b : backups) {
            t.row(b.id(), b.cluster(), Instant.ofEpochMilli(b.createdAt()).toString(),
                    String.join(" ", b.roles().stream().map(r -> r.name() + "=" + r.count()).toList()),
                    String.join(" ", b.parts().stream().map(p -> p.member() + ":" + p.sha256().substring(0, 12)).toList()),
                    Long.toString(b.parts().stream().mapToLong(ClusterBackup.Part::size).sum()));
        }
        t.print(out);
    }

    /** The backup verbs' wait: an hour by default (a backup or a restore moves data). */
    abstract static class Waiting extends ClusterTaskWait.Verb {
        @Override
        Duration defaultTimeout() {
            return Duration.ofHours(1);
        }
    }

    /** Restore and the rolling restart: started, waited for (unless --no-wait), the cluster printed unless it failed. */
    abstract static class Rebuilding extends Waiting {
        int awaited(SlapClient client, String name, ClusterInfo started) throws Exception {
            ClusterInfo c = noWait ? started : waited(client, client.cluster(name));
            int rc = outcome(c);
            if (rc == ExitCode.OK) {
                ClusterCommand.print(this, c);
            }
            return rc;
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
                show(all.isEmpty() ? List.of() : List.of(all.get(0)), ClusterBackupCommands::plain);
            }
            return rc;
        }
    }

    @Command(name = "backups", mixinStandardHelpOptions = true, description = "The backups of cluster NAME, newest first.")
    public static final class Backups extends ClientCommand.Named<List<ClusterBackup>> {
        @Override
        List<ClusterBackup> call(SlapClient client) {
            return client.clusterBackups(name);
        }

        @Override
        void plain(List<ClusterBackup> backups, PrintWriter out) {
            ClusterBackupCommands.plain(backups, out);
        }
    }

    @Command(name = "backup-delete", mixinStandardHelpOptions = true, description = "Forget backup ID and remove its parts.")
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(SlapClient client) throws Exception {
            client.deleteBackup(id);
            return report(java.util.Map.of("deleted", id), "backup " + id + " deleted");
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore backup ID into a new cluster (same roles and size as the backup; refused otherwise,"
                    + " naming the difference); each member runs etc/restore with its part.")
    public static final class Restore extends Rebuilding {
        @Parameters(index = "0", paramLabel = "BACKUP")
        String id;

        @Option(names = "--name", required = true, paramLabel = "NEW", description = "the new cluster's name")
        String name;

        @Option(names = "--role", paramLabel = "ROLE:count=N", description = "must match the backup's roles (default: them)")
        List<String> roles = new ArrayList<>();

        @Override
        int run(SlapClient client) throws Exception {
            return awaited(client, name, client.restoreBackup(id, name, ClusterCommand.parseRoles(roles)));
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Rolling restart: one member at a time, each until its promises are kept again; refused while the"
                    + " cluster or a member is busy, or a member is in error.")
    public static final class Restart extends Rebuilding {
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
            return awaited(client, name, client.restartCluster(name));
        }
    }
}
