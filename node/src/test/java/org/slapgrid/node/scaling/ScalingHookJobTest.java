package org.slapgrid.node.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.jobs.JobContext;
import org.slapgrid.node.jobs.JobOutcome;
import org.slapgrid.slap.model.PartitionJob;

/**
 * Seed 000's hook scripts, copied as fixtures ({@code slipstream-hooks/}: on-add, pre-scale,
 * post-scale; the one change is a {@code :} in on-add's empty loop body, without which bash
 * refuses the script), run by the {@code scaling-hook} job as SlipStream runs them, printing
 * the lines the seed says; a partition without the hook succeeds saying so; a failing hook
 * fails the job with its exit status; a hook past its timeout is killed.
 */
class ScalingHookJobTest {
    @TempDir
    Path tmp;

    private Partition partition() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("slappart0"));
        Files.createDirectories(dir.resolve("etc/scaling"));
        Files.createDirectories(dir.resolve("bin"));
        for (String hook : List.of("on-add", "pre-scale", "post-scale")) {
            install("/slipstream-hooks/" + hook, dir.resolve("etc/scaling/" + hook));
        }
        install("/slipstream-hooks/ss-get", dir.resolve("bin/ss-get"));
        return new Partition("slappart0", 0, dir, null, "127.0.0.1");
    }

    private void install(String resource, Path to) throws Exception {
        try (var in = getClass().getResourceAsStream(resource)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        to.toFile().setExecutable(true);
    }

    private JobOutcome run(Partition p, String kind, Map<String, Object> args, Duration timeout) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("state/partitions/slappart0/jobs/j1"));
        JobContext ctx = new JobContext(new PartitionJob("j1", kind, args), p, RunAs.currentUser(p.directory()), work, timeout,
                false, "node-1", null, new PartitionExecutor(), null, null);
        return new ScalingHookJob().run(ctx);
    }

    @Test
    void seed000sOnAddPrintsEachNewInstanceOfItsRole() throws Exception {
        JobOutcome o = run(partition(), "scaling-hook", Map.of("hook", "on-add", "role", "B", "members", List.of("B.3", "B.4")),
                Duration.ofSeconds(20));
        assertThat(o.succeeded()).as(o.output()).isTrue();
        assertThat(o.exitCode()).isZero();
        assertThat(o.output()).contains("Processing B.3\n", "New instance of B: B.3, B.3.example\n", "Processing B.4\n",
                "New instance of B: B.4, B.4.example");
        assertThat(o.result()).containsEntry("ran", true);
    }

    @Test
    void seed000sPreAndPostScaleSayTheAction() throws Exception {
        Partition p = partition();
        assertThat(run(p, "scaling-hook", Map.of("hook", "pre-scale", "role", "db", "members", List.of("db.1"), "action", "vm_remove"),
                Duration.ofSeconds(20)).output()).isEqualTo("Before VM remove\n");
        assertThat(run(p, "scaling-hook", Map.of("hook", "pre-scale", "role", "db", "members", List.of("db.1"), "action", "disk_attach"),
                Duration.ofSeconds(20)).output()).isEqualTo("Before disk attach\n");
        assertThat(run(p, "scaling-hook", Map.of("hook", "post-scale", "role", "db", "members", List.of("db.1"), "action", "vm_resize"),
                Duration.ofSeconds(20)).output()).isEqualTo("After VM resize\n");
    }

    /**
     * A hook's PATH starts with the partition's bin/; root must still never run a partition's
     * file when it switches to the partition's user (runuser is found by its absolute path).
     */
    @Test
    void asRootAHookRunsAsThePartitionsUserNeverThroughARunuserInItsBin() throws Exception {
        assumeTrue(NodeFixture.ROOT, "switching users needs root (the CI runs as root)");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Partition p = partition();
        Path marker = tmp.resolve("root-ran-the-partitions-runuser");
        Files.writeString(p.directory().resolve("bin/runuser"), "#!/bin/sh\ntouch " + marker + "\nexec /usr/sbin/runuser \"$@\"\n");
        p.directory().resolve("bin/runuser").toFile().setExecutable(true, false);
        Files.writeString(p.directory().resolve("etc/scaling/on-remove"), "#!/bin/sh\necho \"$(id -un) ${PATH%%:*}\"\n");
        p.directory().resolve("etc/scaling/on-remove").toFile().setExecutable(true, false);
        try (var files = Files.walk(tmp)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(f) || Files.isExecutable(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Path work = Files.createDirectories(tmp.resolve("state/partitions/slappart0/jobs/j2"));
        JobContext ctx = new JobContext(new PartitionJob("j2", "scaling-hook", Map.of("hook", "on-remove", "role", "db",
                "members", List.of("db.1"))), p, new RunAs("nobody", p.directory()), work, Duration.ofSeconds(20), true,
                "node-1", null, new PartitionExecutor(), null, null);
        JobOutcome o = new ScalingHookJob().run(ctx);
        assertThat(o.succeeded()).as(o.output()).isTrue();
        assertThat(o.output()).isEqualTo("nobody " + p.directory().resolve("bin") + "\n");
        assertThat(marker).as("root ran the partition's bin/runuser").doesNotExist();
    }

    @Test
    void theTerminationJobGivesTheMastersUrlWithoutItsTrailingSlash() throws Exception {
        Partition p = partition();
        Files.createDirectories(p.directory().resolve("etc/lifecycle"));
        Files.writeString(p.directory().resolve("etc/lifecycle/termination"),
                "#!/bin/sh\necho \"$SLAPOS_MASTER_URL/api $SLAPGRID_LIFECYCLE_MEMBER $SLAPGRID_LIFECYCLE_TOKEN\"\n");
        p.directory().resolve("etc/lifecycle/termination").toFile().setExecutable(true);
        Path work = Files.createDirectories(tmp.resolve("state/partitions/slappart0/jobs/j3"));
        JobContext ctx = new JobContext(new PartitionJob("j3", "lifecycle-termination", Map.of("token", "t0k", "member", "db/db.1")),
                p, RunAs.currentUser(p.directory()), work, Duration.ofSeconds(20), false, "node-1", null, new PartitionExecutor(),
                null, null);
        JobOutcome o = new LifecycleTerminationJob("http://127.0.0.1:5/").run(ctx);
        assertThat(o.output()).isEqualTo("http://127.0.0.1:5/api db/db.1 t0k\n");
    }

    @Test
    void aMissingHookSucceedsSayingSoAFailingOneFailsAndASlowOneIsKilled() throws Exception {
        Partition p = partition();
        JobOutcome missing = run(p, "scaling-hook", Map.of("hook", "on-remove", "role", "db", "members", List.of("db.1")),
                Duration.ofSeconds(20));
        assertThat(missing.succeeded()).isTrue();
        assertThat(missing.output()).contains("no etc/scaling/on-remove");
        assertThat(missing.result()).containsEntry("ran", false);

        Files.writeString(p.directory().resolve("etc/scaling/on-remove"), "#!/bin/sh\necho \"leaving: $SLAPGRID_SCALING_MEMBERS"
                + " ($SLAPGRID_SCALING_ROLE, $SLAPGRID_SCALING_HOOK)\"\nexit 3\n");
        p.directory().resolve("etc/scaling/on-remove").toFile().setExecutable(true);
        JobOutcome failing = run(p, "scaling-hook", Map.of("hook", "on-remove", "role", "db", "members", List.of("db.1", "db.2")),
                Duration.ofSeconds(20));
        assertThat(failing.succeeded()).isFalse();
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.output()).contains("leaving: db.1 db.2 (db, on-remove)");

        Files.writeString(p.directory().resolve("etc/scaling/post-scale"), "#!/bin/sh\nsleep 30\n");
        JobOutcome slow = run(p, "scaling-hook", Map.of("hook", "post-scale", "role", "db", "members", List.of("db.1"),
                "action", "vm_resize"), Duration.ofSeconds(1));
        assertThat(slow.succeeded()).isFalse();
        assertThat(slow.output()).contains("timed out after 1 s");
    }
}
