package org.slapgrid.node.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.slapgrid.node.tags.NodeTagStopTest.running;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.instance.LocalTagRules;
import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.JobInfo;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionJob;
import org.slapgrid.testing.Require;

/**
 * Issue 15: a {@code restart} job on a partition whose services are held (stopped by tag, a
 * failover standby's) neither starts them nor runs the promises tagged like them, which could
 * only fail since their service is stopped on purpose: the job is done, its result names the
 * held promises. A real node (supervisord, the node's own {@link JobRunner}, a real master
 * creating the job with {@code slapos instance restart NAME --tags pod01}).
 */
class RestartHeldServicesTest {

    @Test
    void aRestartNeverRunsThePromisesOfHeldServices(@TempDir Path tmp) throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // the partition users pass through
        try (NodeFixture n = NodeFixture.start(Files.createDirectories(tmp.resolve("n")), "node-rhold", "sgrhold", 1)) {
            String url = NodeFixture.writeRelease(tmp.resolve("pods"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = directory pod01-sm pod01-db sm-alive\n\n[directory]\nrecipe = slapos.cookbook:mkdirectory\n"
                            + "service = ${buildout:directory}/etc/service\npromise = ${buildout:directory}/etc/promise\n"
                            + wrapper("pod01-sm", "service", "sleep 36171", "sm pod01")
                            + wrapper("pod01-db", "service", "sleep 3600", "db pod01")
                            // kept only while the spider runs: what a held spider's promise would report
                            + wrapper("sm-alive", "promise", "pgrep -f '^sleep 36171$'", "sm pod01"));
            n.supplyAndBuild(url);
            n.admin().request(n.request("pods", url, Map.of()));
            n.convergeUntilSettled(Duration.ofSeconds(90));
            String p = n.partitions().get(0).id();
            assertThat(running(n, p)).containsExactly("pod01-db", "pod01-sm");

            // `slapos node stop slappart0 --tags sm`, applied by the next convergence
            LocalTagRules.add(n.config().stateDirectory(), p, "sm", true);
            n.converge();
            assertThat(running(n, p)).as(n.log()).containsExactly("pod01-db");

            // `slapos instance restart pods --tags pod01`: the held spider stays stopped, its promise is not run
            JobInfo done = restart(n, p, null);
            assertThat(done.state()).as(done.output()).isEqualTo(JobState.DONE);
            assertThat(done.result().get("programs")).asList().singleElement().asString().contains("pod01-db");
            assertThat(done.result().get("held")).asList().containsExactly("sm-alive");
            assertThat(done.result().get("promises")).isEqualTo(Map.of());
            assertThat(done.output()).contains("1 held with their stopped services, not run (sm-alive)");
            assertThat(running(n, p)).containsExactly("pod01-db");

            // a failover standby (db.1 while db.0 is active): every service held, none restarted, no promise run
            JobInfo standby = restart(n, p, new ClusterMembership("fo", ClusterTopology.FAILOVER, "db", 1, "db.0", List.of()));
            assertThat(standby.state()).as(standby.output()).isEqualTo(JobState.DONE);
            assertThat(standby.result().get("programs")).asList().isEmpty();
            assertThat(standby.result().get("held")).asList().containsExactly("sm-alive");
        }
    }

    /**
     * A restart job of the master's, run by the node's job runner as the daemon runs it after a
     * convergence (with a short timeout, so a promise wrongly run fails it in seconds);
     * {@code cluster}: the instance seen as that member.
     */
    private static JobInfo restart(NodeFixture n, String partition, ClusterMembership cluster) throws Exception {
        n.admin().instanceServices("pods", "restart", "pod01");
        PartitionInfo pi = n.node().nodeInfo(n.nodeId()).partitions().stream().filter(x -> x.id().equals(partition))
                .findFirst().orElseThrow();
        PartitionJob job = pi.jobs().stream().filter(j -> j.kind().equals("restart")).reduce((a, b) -> b).orElseThrow();
        Map<String, Object> args = new HashMap<>(job.args());
        args.put("timeoutSeconds", 4);
        PartitionInfo run = new PartitionInfo(pi.id(), cluster == null ? pi.instance() : pi.instance().withCluster(cluster),
                pi.sharedInstances(), List.of(new PartitionJob(job.id(), job.kind(), args)));
        n.assembled().jobs().runPending(run, n.partition(partition));
        try (var c = n.master().database().dataSource().getConnection()) {
            return org.slapgrid.master.jobs.JobService.get(c, job.id()).orElseThrow();
        }
    }

    private static String wrapper(String name, String dir, String command, String tags) {
        return "\n[" + name + "]\nrecipe = slapos.cookbook:wrapper\ncommand-line = " + command + "\nwrapper-path = ${directory:"
                + dir + "}/" + name + "\ntags = " + tags + "\n";
    }
}
