package org.slapgrid.cli.console;

import java.time.Duration;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos cluster resize|disk-attach|disk-detach} (docs/clusters.md, "Resize and disks"):
 * each runs the member's pre-scale hook, acts, re-converges the member and runs its post-scale
 * hook. The verb waits until the cluster's task is NONE again (unless {@code --no-wait}) and
 * exits 1 when the action ended short (a failing pre-scale stops it: nothing changed).
 */
final class ClusterVerticalCommands {
    private ClusterVerticalCommands() {
    }

    /** The vertical verbs' wait: 15 minutes by default. */
    abstract static class VerticalCommand extends ClusterTaskWait.Verb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        Duration defaultTimeout() {
            return Duration.ofMinutes(15);
        }

        /** Waits for the task to end, prints the cluster, and the exit status: 1 when it ended short. */
        int await(SlapClient client, ClusterInfo started) throws Exception {
            ClusterInfo c = waited(client, started);
            ClusterCommand.print(this, c);
            return outcome(c);
        }
    }

    @Command(name = "resize", mixinStandardHelpOptions = true,
            description = "Give MEMBER memory and CPU limits (cgroups on its partition's processes, applied by its node):"
                    + " pre-scale (vm_resize), resize, re-converge, post-scale.")
    static final class Resize extends VerticalCommand {
        @Parameters(index = "1", paramLabel = "MEMBER", description = "db.1 or NAME/db.1")
        String member;

        @Option(names = "--memory", paramLabel = "SIZE", description = "e.g. 512M, 2G; 0 for the node's default")
        String memory;

        @Option(names = "--cpu", paramLabel = "CPUS", description = "e.g. 0.5 (half a core); 0 for the node's default")
        Double cpu;

        @Override
        int run(SlapClient client) throws Exception {
            if (memory == null && cpu == null) {
                return usage("give --memory and/or --cpu");
            }
            return await(client, client.resizeMember(name, member, memory, cpu));
        }
    }

    @Command(name = "disk-attach", mixinStandardHelpOptions = true,
            description = "Give MEMBER a data disk at srv/disk/DISK (a loop-mounted ext4 image where its node can, else a"
                    + " directory; `slapos info` says which): pre-scale (disk_attach), attach, re-converge, post-scale.")
    static final class Attach extends VerticalCommand {
        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Parameters(index = "2", paramLabel = "DISK", description = "the disk's name: 1-32 of a-z 0-9 _ -")
        String disk;

        @Option(names = "--size", required = true, paramLabel = "SIZE", description = "e.g. 1G (16M to 1T)")
        String size;

        @Override
        int run(SlapClient client) throws Exception {
            return await(client, client.attachDisk(name, member, disk, size));
        }
    }

    @Command(name = "disk-detach", mixinStandardHelpOptions = true,
            description = "Remove MEMBER's data disk DISK and what is on it, after its pre-scale (disk_detach).")
    static final class Detach extends VerticalCommand {
        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Parameters(index = "2", paramLabel = "DISK")
        String disk;

        @Override
        int run(SlapClient client) throws Exception {
            return await(client, client.detachDisk(name, member, disk));
        }
    }
}
