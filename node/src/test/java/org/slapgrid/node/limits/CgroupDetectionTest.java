package org.slapgrid.node.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which cgroups the node finds, from mountinfo and /proc/self/cgroup as Linux writes them:
 * this machine's kind (v1 controllers plus an empty v2 hierarchy), a pure v2 machine, a
 * read-only one, none. The mount points are made to lie in a temporary directory so that
 * detection can check them; the kernel itself is exercised by {@link PartitionLimitsAttackTest}.
 */
class CgroupDetectionTest {

    @TempDir
    Path tmp;

    private String v1Mountinfo(String mode) {
        return """
                31 23 0:28 / %1$s rw,relatime - tmpfs tmpfs rw,mode=755
                32 31 0:29 / %1$s/cpu %2$s,relatime - cgroup cgroup rw,cpu
                33 31 0:30 / %1$s/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
                35 31 0:32 / %1$s/memory %2$s,relatime - cgroup cgroup rw,memory
                37 31 0:34 / %1$s/freezer rw,relatime - cgroup cgroup rw,freezer
                39 31 0:36 / %1$s/pids %2$s,relatime - cgroup cgroup rw,pids
                40 31 0:37 / %1$s/systemd rw,relatime - cgroup cgroup rw,name=systemd
                41 31 0:38 / %1$s/unified rw,relatime - cgroup2 cgroup2 rw
                """.formatted(tmp, mode);
    }

    private static final String OWN_V1 = """
            9:name=systemd:/
            8:pids:/
            4:memory:/process_api/993c
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    @Test
    void cgroupV1ControllersAreUsedBelowTheProcessesOwnCgroupOfEach() throws IOException {
        for (String c : new String[] {"cpu", "memory/process_api/993c", "freezer", "pids"}) {
            Files.createDirectories(tmp.resolve(c));
        }
        CgroupController found = CgroupDetection.detect("node-1", null, tmp.resolve("launcher"),
                CgroupDetection.parseMounts(v1Mountinfo("rw")), CgroupDetection.parseOwn(OWN_V1));
        assertThat(found.availability().available()).isTrue();
        assertThat(found.availability().version()).isEqualTo("v1");
        assertThat(found.enterCommand("slappart3")).containsExactly(tmp.resolve("launcher/enter-cgroups").toString(),
                tmp.resolve("pids/slapgrid-node-1/slappart3").toString(),
                tmp.resolve("memory/process_api/993c/slapgrid-node-1/slappart3").toString(),
                tmp.resolve("cpu/slapgrid-node-1/slappart3").toString(),
                tmp.resolve("freezer/slapgrid-node-1/slappart3").toString(), "--");
        assertThat(tmp.resolve("launcher/enter-cgroups")).isExecutable();
    }

    @Test
    void aConfiguredParentIsTheSameInEveryHierarchy() {
        CgroupController found = CgroupDetection.detect("node-1", "/slapgrid", tmp.resolve("launcher"),
                CgroupDetection.parseMounts(v1Mountinfo("rw")), CgroupDetection.parseOwn(OWN_V1));
        assertThat(found.enterCommand("slappart0")).contains(tmp.resolve("memory/slapgrid/slappart0").toString());
    }

    @Test
    void readOnlyControllersAreNotUsedAndTheReasonSaysSo() {
        CgroupController found = CgroupDetection.detect("node-1", null, tmp.resolve("launcher"),
                CgroupDetection.parseMounts(v1Mountinfo("ro")), CgroupDetection.parseOwn(OWN_V1));
        assertThat(found.availability().available()).isFalse();
        assertThat(found.availability().describe()).contains("read-only").contains("controller");
        assertThat(found.enterCommand("slappart0")).isEmpty();
    }

    @Test
    void cgroupV2IsUsedWhenItHasThePidsAndMemoryControllers() throws IOException {
        Path mount = Files.createDirectories(tmp.resolve("cg2"));
        Files.writeString(mount.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        String mountinfo = "25 23 0:23 / " + mount + " rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n";
        CgroupController found = CgroupDetection.detect("node-1", null, tmp.resolve("launcher"),
                CgroupDetection.parseMounts(mountinfo), CgroupDetection.parseOwn("0::/\n"));
        assertThat(found.availability().version()).isEqualTo("v2");
        assertThat(found.enterCommand("slappart1")).containsExactly(tmp.resolve("launcher/enter-cgroups").toString(),
                mount.resolve("slapgrid-node-1/slappart1").toString(), "--");
    }

    @Test
    void anEmptyUnifiedHierarchyBesideNoV1ControllersIsNotEnough() throws IOException {
        Path mount = Files.createDirectories(tmp.resolve("unified"));
        Files.writeString(mount.resolve("cgroup.controllers"), "\n");
        CgroupController found = CgroupDetection.detect("node-1", null, tmp.resolve("launcher"),
                CgroupDetection.parseMounts("41 31 0:38 / " + mount + " rw,relatime - cgroup2 cgroup2 rw\n"),
                CgroupDetection.parseOwn("0::/\n"));
        assertThat(found.availability().available()).isFalse();
        assertThat(found.availability().detail()).contains("pids and memory controllers are not available");
    }

    @Test
    void ownCgroupsAreReadPerController() {
        Map<String, String> own = CgroupDetection.parseOwn("3:cpu,cpuacct:/a\n4:memory:/b\n0::/c\n");
        assertThat(own).containsEntry("cpu", "/a").containsEntry("cpuacct", "/a").containsEntry("memory", "/b")
                .containsEntry("", "/c");
    }
}
