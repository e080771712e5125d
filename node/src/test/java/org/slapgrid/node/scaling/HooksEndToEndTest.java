package org.slapgrid.node.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterEvent;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.DeletionPolicy;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.PartitionInfo;

/**
 * Issue 14's scaling and lifecycle hooks end to end: a real master, two real node daemons (each
 * in its own JVM, with its own users, address range and supervisord) and the test release
 * {@code hooks-release}, whose members record every hook's user and environment in files.
 * A cluster grows 2 -> 3: both existing members' on-add get seed 000's variables naming the new
 * member, placed by the placement rules. It shrinks 3 -> 2 through the deletion policy
 * (OLDEST_FIRST: the oldest member that is not the primary): pre-scale (vm_remove), then the
 * member waits in WAITING_LIFECYCLE_COMPLETION while its etc/lifecycle/termination completes
 * its token through the API after 2 s; then it is destroyed (its prerm runs) and the others'
 * on-remove run. A second shrink whose member's termination does not complete proceeds at the
 * policy's hook_timeout, and the events say so.
 */
class HooksEndToEndTest {

    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final int SHORT_HOOK_TIMEOUT = 3;

    @TempDir
    Path tmp;
    /** Each node's hook-records directory (see the release's instance.cfg.in). */
    private List<Path> records;

    @Test
    void growTellsTheOthersAndShrinkDrainsTheChosenMemberThroughItsLifecycleHookOrAtHookTimeout() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Process> daemons = new ArrayList<>();
        // b has one partition more: the placement's last rule before the name (most free partitions) decides
        try (NodeFixture a = NodeFixture.start(Files.createDirectories(tmp.resolve("a")), "node-ha", "sgha", 3);
             NodeFixture b = NodeFixture.join(Files.createDirectories(tmp.resolve("b")), a, "node-hb", "sghb", 4)) {
            records = new ArrayList<>();
            for (NodeFixture n : List.of(a, b)) {
                Path dir = Files.createDirectories(n.config().instanceRoot().resolve("hook-records"));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // its partition users write
                records.add(dir);
            }
            String url = copyRelease();
            daemons.add(a.startDaemon(tmp.resolve("daemon-a.log")));
            daemons.add(b.startDaemon(tmp.resolve("daemon-b.log")));
            SlapClient admin = a.admin();
            Map<String, NodeFixture> nodes = Map.of(a.nodeId(), a, b.nodeId(), b);

            ClusterInfo created = admin.createCluster(new ClusterRequest("hk", url, ClusterTopology.FLEX,
                    Map.of(), List.of(new ClusterRole("app", "default", Map.of(), 2, 1, 3))));
            assertThat(created.members()).extracting(ClusterMember::node).containsExactlyInAnyOrder("node-ha", "node-hb");
            assertThat(created.primary()).isEqualTo("app.0");
            awaitStarted(admin, 2);
            admin.setDeletionPolicy("hk", new DeletionPolicy(DeletionPolicy.Criteria.OLDEST_FIRST, 60, null, null));
            complete(true);

            // grow 2 -> 3: the new member on the node with the most free partitions (b: 3 against 2),
            // the on-add of both others, each as its partition's user, with exactly seed 000's variables
            admin.growCluster("hk", "app", 1);
            ClusterInfo grown = awaitStarted(admin, 3);
            assertThat(member(grown, "app.2").node()).isEqualTo("node-hb");
            for (String other : List.of("app.0", "app.1")) {
                awaitRuns(other, "on-add", 1);
                assertThat(runs(other, "on-add").get(0)).isEqualTo(hookEnv(userOf(grown, other, nodes), "on-add", "", "app.2"));
            }
            assertThat(runs("app.2", "on-add")).as("the new member is not told of itself").isEmpty();
            await().atMost(SETTLE).untilAsserted(() -> assertThat(events(admin)).filteredOn(e -> e.startsWith("hook-result: on-add"))
                    .hasSize(2).anyMatch(e -> e.contains("app.0: told of app.2 (app)")));

            // shrink 3 -> 2 by the deletion policy: app.1 is the oldest that is not the primary
            admin.shrinkCluster("hk", "app", 1);
            awaitRuns("app.1", "termination", 1);
            assertThat(admin.info("hk/app.1").requestedState()).as("waiting, not destroyed yet")
                    .isEqualTo(org.slapgrid.slap.model.RequestedState.STARTED);
            String user1 = userOf(grown, "app.1", nodes);
            assertThat(runs("app.1", "pre-scale")).containsExactly(hookEnv(user1, "pre-scale", "vm_remove", "app.1"));
            Map<String, String> termination = runs("app.1", "termination").get(0);
            assertThat(termination).containsEntry("user", user1).containsEntry("SLAPGRID_LIFECYCLE_MEMBER", "hk/app.1")
                    .containsEntry("SLAPGRID_LIFECYCLE_TRANSITION", "termination")
                    .containsKeys("SLAPGRID_LIFECYCLE_DEADLINE");
            assertThat(termination.get("SLAPGRID_LIFECYCLE_TOKEN")).matches("[0-9a-f]{48}");
            awaitGone(admin, nodes, member(grown, "app.1"));
            ClusterEvent waiting = event(admin, "app.1 is WAITING_LIFECYCLE_COMPLETION");
            ClusterEvent completed = event(admin, "app.1: lifecycle hook completed by instance:");
            assertThat(completed.at() - waiting.at()).as("completed by its termination script, after its 2 s drain")
                    .isGreaterThanOrEqualTo(2000).isLessThan(30_000);
            awaitRuns("app.1", "prerm", 1);
            assertThat(runNanos("app.1", "prerm") / 1_000_000).as("destroyed (prerm) after the completion, not before")
                    .isGreaterThanOrEqualTo(completed.at());
            for (String other : List.of("app.0", "app.2")) {
                awaitRuns(other, "on-remove", 1);
                assertThat(runs(other, "on-remove").get(0)).isEqualTo(hookEnv(userOf(grown, other, nodes), "on-remove", "", "app.1"));
            }
            assertThat(runs("app.0", "pre-scale")).as("pre-scale only on the member leaving").isEmpty();
            await().atMost(SETTLE).until(() -> admin.cluster("hk").task() == ClusterTask.NONE);
            assertThat(admin.cluster("hk").members()).extracting(ClusterMember::name).containsExactly("app.0", "app.2");

            // shrink 2 -> 1: app.2's termination does not complete; the removal proceeds at hook_timeout
            complete(false);
            admin.setDeletionPolicy("hk", new DeletionPolicy(DeletionPolicy.Criteria.OLDEST_FIRST, SHORT_HOOK_TIMEOUT, null, null));
            admin.shrinkCluster("hk", "app", 1);
            awaitGone(admin, nodes, member(grown, "app.2"));
            ClusterEvent waiting2 = event(admin, "app.2 is WAITING_LIFECYCLE_COMPLETION");
            ClusterEvent expired = event(admin, "app.2: lifecycle hook not completed within " + SHORT_HOOK_TIMEOUT
                    + " s (hook_timeout); removing it anyway");
            assertThat(expired.at() - waiting2.at()).as("at hook_timeout, not before")
                    .isBetween(SHORT_HOOK_TIMEOUT * 1000L, SHORT_HOOK_TIMEOUT * 1000L + 5000);
            assertThat(runs("app.2", "termination")).hasSize(1);
            awaitRuns("app.2", "prerm", 1);
            awaitRuns("app.0", "on-remove", 2);
            assertThat(runs("app.0", "on-remove").get(1)).isEqualTo(hookEnv(userOf(grown, "app.0", nodes), "on-remove", "", "app.2"));
            assertThat(events(admin)).as("a member with a termination script is never completed by the master")
                    .noneMatch(e -> e.contains("completed by the master"));
            await().atMost(SETTLE).until(() -> admin.cluster("hk").task() == ClusterTask.NONE);
            assertThat(runs("app.0", "post-scale")).as("post-scale after vertical actions only").isEmpty();
            assertThat(runs("app.2", "post-scale")).isEmpty();
        } finally {
            NodeFixture.stopDaemons(daemons);
        }
    }

    /** What a scaling hook records: its user and seed 000's variables, under both names. */
    private static Map<String, String> hookEnv(String user, String hook, String action, String members) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("user", user);
        m.put("SLAPGRID_SCALING_ACTION", action);
        m.put("SLAPGRID_SCALING_HOOK", hook);
        m.put("SLAPGRID_SCALING_MEMBERS", members);
        m.put("SLAPGRID_SCALING_ROLE", "app");
        m.put("SLIPSTREAM_SCALING_ACTION", action);
        m.put("SLIPSTREAM_SCALING_NODE", "app");
        m.put("SLIPSTREAM_SCALING_VMS", members);
        return m;
    }

    /** The member's destruction: its instance destroyed, its partition free again and emptied on its node. */
    private void awaitGone(SlapClient admin, Map<String, NodeFixture> nodes, ClusterMember m) {
        NodeFixture n = nodes.get(m.node());
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(admin.list()).as(logs()).noneMatch(i -> i.name().equals("hk/" + m.name())
                    && i.reportedState() != InstanceState.DESTROYED);
            PartitionInfo p = n.node().nodeInfo(n.nodeId()).partitions().stream().filter(x -> x.id().equals(m.partition()))
                    .findFirst().orElseThrow();
            assertThat(p.instance()).as(m.partition() + " free again").isNull();
        });
        assertThat(n.partition(m.partition()).directory().resolve("etc/lifecycle")).as("wiped").doesNotExist();
    }

    private ClusterInfo awaitStarted(SlapClient admin, int count) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(admin.cluster("hk").members())
                .as(logs()).hasSize(count).allSatisfy(m -> assertThat(m.reportedState()).as(m.name()).isEqualTo(InstanceState.STARTED)));
        return admin.cluster("hk");
    }

    private static ClusterMember member(ClusterInfo c, String name) {
        return c.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static String userOf(ClusterInfo c, String member, Map<String, NodeFixture> nodes) {
        ClusterMember m = member(c, member);
        return nodes.get(m.node()).partition(m.partition()).user();
    }

    private static List<String> events(SlapClient admin) {
        return admin.clusterEvents("hk").stream().map(e -> e.kind() + ": " + e.message()).toList();
    }

    private ClusterEvent event(SlapClient admin, String starting) {
        return admin.clusterEvents("hk").stream().filter(e -> e.message().startsWith(starting)).findFirst()
                .orElseThrow(() -> new AssertionError("no event '" + starting + "...' in " + events(admin)));
    }

    private void awaitRuns(String member, String hook, int count) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(files(member, hook)).as(member + " " + hook + "\n" + logs()).hasSize(count));
    }

    /** Each run of {@code hook} on {@code member}, oldest first: its {@code user} and variables. */
    private List<Map<String, String>> runs(String member, String hook) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        for (Path f : files(member, hook)) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(f)) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
            out.add(env);
        }
        return out;
    }

    /** When the (only) run of {@code hook} on {@code member} recorded itself, epoch nanoseconds. */
    private long runNanos(String member, String hook) {
        Path f = files(member, hook).get(0);
        String name = f.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('.') + 1));
    }

    private List<Path> files(String member, String hook) {
        String prefix = member + "." + hook + ".";
        List<Path> out = new ArrayList<>();
        for (Path dir : records) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.stream().sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
    }

    /** Whether the members' termination scripts complete their hooks (the file they look for). */
    private void complete(boolean yes) throws IOException {
        for (Path dir : records) {
            if (yes) {
                Files.createFile(dir.resolve("complete"));
            } else {
                Files.delete(dir.resolve("complete"));
            }
        }
    }

    private String copyRelease() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("release"));
        for (String f : List.of("software.cfg", "instance.cfg.in")) {
            try (var in = getClass().getResourceAsStream("/hooks-release/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("software.cfg").toString();
    }

    private String logs() {
        return NodeFixture.tails(30, tmp.resolve("daemon-a.log"), tmp.resolve("daemon-b.log"));
    }
}
