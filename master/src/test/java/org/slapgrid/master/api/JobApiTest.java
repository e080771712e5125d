package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.Changes;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.JobInfo;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionJob;
import org.slapgrid.slap.model.RequestedState;

/**
 * The partition-job protocol (docs/protocol.md) over HTTP against a real master: a job is in its
 * partition's document (and bumps the node's version), the node reports it once, only its own
 * node may, its file is size-limited, and one past its deadline is failed by the master.
 */
class JobApiTest {
    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient n1;
    SlapClient n2;
    Instance instance;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("slapgrid.maxArtifactBytes", "1000");
        m = new MasterFixture(tmp);
        admin = m.admin();
        n1 = m.client(admin.registerNode("n1", List.of("slappart0")).secret());
        n2 = m.client(admin.registerNode("n2", List.of("slappart0")).secret());
        admin.supply("https://example.org/sr.cfg", "n1", org.slapgrid.slap.model.SupplyState.AVAILABLE);
        instance = admin.request(new InstanceRequest("web", "https://example.org/sr.cfg", null, Map.of(), RequestedState.STARTED,
                false, Map.of("node", "n1")));
    }

    @AfterEach
    void stop() {
        System.clearProperty("slapgrid.maxArtifactBytes");
        m.close();
    }

    String newJob(String kind, Duration timeout) {
        String[] id = new String[1];
        Changes.write(m.master.database(), ids -> { }, c -> {
            Changes changes = new Changes();
            id[0] = JobService.create(c, instance.id(), kind, Map.of("x", 1), timeout, changes);
            return changes;
        });
        return id[0];
    }

    static List<PartitionJob> jobsOf(NodeInfo info) {
        return info.partitions().stream().filter(p -> p.id().equals("slappart0")).findFirst().map(PartitionInfo::jobs).orElseThrow();
    }

    @Test
    void aJobIsInItsPartitionsDocumentUntilItsNodeReportsItsEndOnce() {
        long before = n1.nodeInfo("n1").version();
        String id = newJob("backup", Duration.ofMinutes(5));
        NodeInfo doc = n1.nodeInfo("n1");
        assertThat(doc.version()).isGreaterThan(before);
        assertThat(jobsOf(doc)).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(id);
            assertThat(j.kind()).isEqualTo("backup");
            assertThat(j.args()).containsEntry("x", 1).containsEntry("timeoutSeconds", 300);
        });

        n1.reportJob("n1", "slappart0", id, new JobReport(JobState.RUNNING, null, null, null, null));
        assertThat(jobsOf(n1.nodeInfo("n1"))).hasSize(1); // running: still carried (a restarted node runs it again)
        n1.reportJob("n1", "slappart0", id, new JobReport(JobState.DONE, 0, "ok", 12L, Map.of("sha256", "ab")));
        assertThat(jobsOf(n1.nodeInfo("n1"))).isEmpty();
        n1.reportJob("n1", "slappart0", id, new JobReport(JobState.DONE, 0, "ok", 12L, Map.of())); // a repeat is fine
        assertThatThrownBy(() -> n1.reportJob("n1", "slappart0", id, new JobReport(JobState.FAILED, 1, "no", 1L, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(409));

        var job = new JobService(m.master.database(), ids -> { }, tmp.resolve("jobs"), 1).get(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.DONE);
        assertThat(job.exitCode()).isZero();
        assertThat(job.durationMs()).isEqualTo(12L);
        assertThat(job.result()).containsEntry("sha256", "ab");
        assertThat(job.instance()).isEqualTo("web");
    }

    @Test
    void onlyTheJobsOwnNodeReportsItOrSendsItsFile() throws Exception {
        String id = newJob("backup", Duration.ofMinutes(5));
        assertThatThrownBy(() -> n2.reportJob("n2", "slappart0", id, new JobReport(JobState.DONE, 0, "", 1L, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> n2.reportJob("n1", "slappart0", id, new JobReport(JobState.DONE, 0, "", 1L, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> admin.reportJob("n1", "slappart0", id, new JobReport(JobState.DONE, 0, "", 1L, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        Path file = tmp.resolve("part");
        Files.write(file, new byte[10]);
        assertThatThrownBy(() -> n2.uploadJobArtifact("n2", "slappart0", id, file))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> n1.uploadJobArtifact("n1", "slappart0", "../../etc", file))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aFilePastTheLimitIsRefusedAndNothingIsKept() throws Exception {
        String id = newJob("backup", Duration.ofMinutes(5));
        Path small = tmp.resolve("small");
        Files.write(small, new byte[1000]);
        n1.uploadJobArtifact("n1", "slappart0", id, small);
        assertThat(Files.size(tmp.resolve("jobs").resolve(id + ".out"))).isEqualTo(1000);
        Path big = tmp.resolve("big");
        Files.write(big, new byte[1001]);
        assertThatThrownBy(() -> n1.uploadJobArtifact("n1", "slappart0", id, big))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("maxArtifactBytes");
                });
        try (var files = Files.list(tmp.resolve("jobs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(id + ".out");
        }
    }

    @Test
    void aJobPastItsDeadlineIsFailedByTheMasterAndLeavesTheDocument() {
        String id = newJob("restart", Duration.ofSeconds(-700)); // deadline = timeout + 10 min slack: already past
        JobService jobs = new JobService(m.master.database(), ids -> { }, tmp.resolve("jobs"), 1);
        assertThat(jobs.expireOverdue()).isEqualTo(1);
        assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(jobs.get(id).orElseThrow().output()).contains("no result from node n1");
        assertThat(jobsOf(n1.nodeInfo("n1"))).isEmpty();
    }

    @Test
    void aNodeLevelJobPastItsDeadlineIsFailedTooWithoutTellingThePartitionJobsListeners() {
        JobService jobs = new JobService(m.master.database(), ids -> { }, tmp.resolve("jobs"), 1);
        List<String> told = new java.util.ArrayList<>();
        jobs.addListener(job -> told.add(job.id()));
        String id = m.master.database().transaction(c -> JobService.createForNode(c, "n1", "compliance", Map.of(),
                Duration.ofSeconds(-700), new Changes()));
        assertThat(jobs.expireOverdue()).isEqualTo(1);
        JobInfo job = m.master.database().read(c -> JobService.getNodeJob(c, id)).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.output()).contains("no result from node n1").contains("(job deadline)");
        assertThat(told).isEmpty();
        assertThat(jobs.expireOverdue()).as("once").isZero();
    }
}
