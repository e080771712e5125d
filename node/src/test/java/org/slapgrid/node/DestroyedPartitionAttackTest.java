package org.slapgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.exec.ProcessTable;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Issue 10, findings 2 and 6, as the attacks, on a whole node as root (real users, real
 * supervisord, one partition, so the next instance gets the same partition and user).
 *
 * <p>Finding 2: a hostile instance profile double-forks a "ghost" out of every process group
 * the node knows (setsid, its output closed), which keeps copying the partition's instance
 * secret and writing into the partition; it also leaves a SysV shared memory segment, files in
 * /tmp and /dev/shm, a crontab and an at job. After the instance is destroyed and a new tenant
 * gets the same partition, the old code let the ghost read the new tenant's secret. Now
 * nothing of the first tenant is left, or the partition is not handed on.
 *
 * <p>Finding 6: {@code slapgrid-drain-timeout} of 100000000 (years of drain) and
 * 9223372036854775807 (an overflow that made the old node fail every destruction).
 */
class DestroyedPartitionAttackTest {

    @TempDir
    Path tmp;

    private final String marker = "ghost-" + UUID.randomUUID();

    @BeforeEach
    void needsRootAndSupervisord() {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(NodeFixture.ROOT || ci, "the attack is on partition users: needs root (CI runs as root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || ci, "needs Debian's supervisor package");
    }

    @Test
    void aGhostLeftByADestroyedInstanceDoesNotSurviveIntoTheNextTenant() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean cron = Files.isExecutable(Path.of("/usr/bin/crontab")) || ci; // .ci/run installs cron and at
        boolean at = Files.isExecutable(Path.of("/usr/bin/at")) || ci;
        Path loot = Files.createDirectories(tmp.resolve("loot"));
        Files.setPosixFilePermissions(loot, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (NodeFixture n = NodeFixture.start(tmp, "node-ghost", "sgghost", 1)) {
            Partition p = n.partition("slappart0");
            // /tmp is not writable to users on every machine (it is not on the development one): all that are
            List<Path> tempFiles = java.util.stream.Stream.of("/tmp", "/var/tmp", "/dev/shm").map(d -> Path.of(d, marker)).toList();
            Path secret = n.config().stateDirectory().resolve("partitions/slappart0/instance.secret");
            String ghost = "while :; do cat " + secret + " > " + loot.resolve("secret") + "; date > " + loot.resolve("heartbeat")
                    + "; echo ghost > " + p.directory().resolve("ghost-was-here") + "; sleep 0.1; done";
            String hostile = release("hostile", "setsid sh -c '" + ghost + "' " + marker + " >/dev/null 2>&1 </dev/null &"
                    + " ipcmk -M 4096 >/dev/null; "
                    + tempFiles.stream().map(f -> " (echo left > " + f + ") 2>/dev/null || true;").collect(java.util.stream.Collectors.joining())
                    + (cron ? " echo '* * * * * true' | crontab - ;" : "")
                    + (at ? " echo true | at now + 1 hour 2>/dev/null ;" : "") + " true");
            String victim = release("victim", "echo victim-data > ${buildout:directory}/data");
            n.supplyAndBuild(hostile);
            n.supplyAndBuild(victim);

            n.admin().request(n.request("hostile", hostile, Map.of()));
            n.convergeUntilSettled(Duration.ofSeconds(60));
            int uid = uid(p.user());
            assertThat(ghostPids()).as("the attack is in place: a ghost runs").isNotEmpty();
            List<Path> leftFiles = tempFiles.stream().filter(Files::exists).toList();
            assertThat(leftFiles).as("the attack is in place: files in shared temp directories").isNotEmpty();
            if (cron) {
                assertThat(run("crontab", "-l", "-u", p.user())).as("the attack is in place: a crontab").contains("true");
            }

            n.admin().remove("hostile");
            assertThat(n.converge()).extracting(PartitionOutcome::kind).as(n.log()).containsExactly(PartitionOutcome.Kind.DESTROYED);
            Files.deleteIfExists(loot.resolve("heartbeat"));
            Files.deleteIfExists(loot.resolve("secret"));

            n.admin().request(n.request("victim", victim, Map.of()));
            n.convergeUntilSettled(Duration.ofSeconds(60));
            Instance next = n.admin().info("victim");
            assertThat(next.partition()).isEqualTo("slappart0");
            assertThat(next.reportedState()).isEqualTo(InstanceState.STARTED);
            String newSecret = Files.readString(secret);

            assertThat(ghostPids()).as("the ghost of the destroyed instance").isEmpty();
            assertThat(loot.resolve("heartbeat")).as("the ghost ran after the destruction").doesNotExist();
            assertThat(loot.resolve("secret")).as("the ghost read the next tenant's secret").doesNotExist();
            assertThat(p.directory().resolve("ghost-was-here")).doesNotExist();
            assertThat(p.directory().resolve("data")).hasContent("victim-data");
            assertThat(leftFiles).noneMatch(Files::exists);
            assertThat(Files.readString(Path.of("/proc/sysvipc/shm")).lines().skip(1)
                    .map(l -> l.strip().split("\\s+")).filter(f -> f[7].equals(Integer.toString(uid)))).as("SysV shm").isEmpty();
            if (cron) {
                assertThat(run("crontab", "-l", "-u", p.user())).doesNotContain("* * * * * true");
            }
            if (at) {
                assertThat(run("atq")).doesNotContain(p.user());
            }
            assertThat(newSecret).isNotBlank();
        } finally {
            ProcessTable.kill(ghostPids()); // the old code leaves it: do not leave it to the machine
        }
    }

    @Test
    void anOutOfRangeDrainTimeoutIsRefusedAndNeverMakesAnInstanceUndestroyable() throws Exception {
        try (NodeFixture n = NodeFixture.start(tmp, "node-drain", "sgdrain", 1)) {
            String url = release("plain", "echo ok > ${buildout:directory}/data");
            n.supplyAndBuild(url);
            for (String years : List.of("100000000", "9223372036854775807")) {
                n.admin().request(n.request("long-drain", url, Map.of("slapgrid-drain-timeout", years)));
                assertThat(n.converge()).extracting(PartitionOutcome::kind).as(n.log())
                        .containsExactly(PartitionOutcome.Kind.FAILED);
                Instance refused = n.admin().info("long-drain");
                assertThat(refused.reportedState()).isEqualTo(InstanceState.ERROR);
                assertThat(refused.errorLog()).contains("slapgrid-drain-timeout", "out of range", "0 to 3600");
            }
            n.admin().remove("long-drain");
            assertThat(n.converge()).extracting(PartitionOutcome::kind).as(n.log())
                    .containsExactly(PartitionOutcome.Kind.DESTROYED);
            assertThat(n.node().nodeInfo(n.nodeId()).partitions()).allSatisfy(pi -> assertThat(pi.instance()).isNull());
        }
    }

    /** A release whose instance profile runs {@code command} as the partition's user. */
    private String release(String name, String command) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("releases/" + name));
        Files.writeString(dir.resolve("software.cfg"), "[buildout]\nparts = instance-profile\n\n[instance-profile]\n"
                + "recipe = slapos.recipe.template:jinja2\nurl = ${:_profile_base_location_}/instance.cfg.in\n"
                + "output = ${buildout:directory}/instance.cfg\n");
        Files.writeString(dir.resolve("instance.cfg.in"), "[buildout]\nparts = run\n\n[run]\n"
                + "recipe = plone.recipe.command\ncommand = " + command + "\nstop-on-error = true\n");
        return dir.resolve("software.cfg").toString();
    }

    private List<Long> ghostPids() {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(marker))
                .map(ProcessHandle::pid).toList();
    }

    private static int uid(String user) throws Exception {
        return Integer.parseInt(run("id", "-u", user).strip());
    }

    private static String run(String... command) throws Exception {
        return new ProcessExecutor().command(command).readOutput(true).redirectErrorStream(true)
                .timeout(30, TimeUnit.SECONDS).execute().outputUTF8();
    }
}
