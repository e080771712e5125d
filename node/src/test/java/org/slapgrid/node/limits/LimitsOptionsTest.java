package org.slapgrid.node.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;

/** The per-partition limit options of {@code slapos.cfg}: defaults, sizes and percentages, ranges named in errors. */
class LimitsOptionsTest {

    @TempDir
    Path dir;

    private NodeConfig load(String options) throws IOException {
        Path file = dir.resolve("slapos.cfg");
        Files.writeString(file, "[slapos]\nmaster_url = http://127.0.0.1:5050\nnode_id = node-1\ninstance_root = "
                + dir + "\n" + options);
        return new NodeConfigLoader(new NodeLayout(dir, false)).load(file);
    }

    @Test
    void defaultsAreHalfTheMemory2048ProcessesNoCpuLimitAndHalfTheDisk() throws IOException {
        LimitsConfig l = load("").limits();
        assertThat(l.partition().memoryBytes()).isEqualTo(LimitsConfig.physicalMemory() / 2);
        assertThat(l.partition().maxProcesses()).isEqualTo(2048);
        assertThat(l.partition().cpus()).isZero();
        assertThat(l.diskQuota()).isEqualTo(LimitsConfig.fileSystemSize(dir) / 2);
        assertThat(l.cgroupParent()).isNull();
    }

    @Test
    void sizesPercentagesAndNone() throws IOException {
        LimitsConfig l = load("partition_memory_limit = 512M\npartition_max_processes = 0\npartition_cpu_limit = 1.5\n"
                + "partition_disk_quota = 10GiB\ncgroup_parent = /slapgrid\n").limits();
        assertThat(l.partition()).isEqualTo(new PartitionLimits(512L << 20, 0, 1.5));
        assertThat(l.diskQuota()).isEqualTo(10L << 30);
        assertThat(l.cgroupParent()).isEqualTo("/slapgrid");
        assertThat(load("partition_memory_limit = none\npartition_disk_quota = 0\n").limits())
                .satisfies(x -> assertThat(x.partition().memoryBytes()).isZero())
                .satisfies(x -> assertThat(x.diskQuota()).isZero());
    }

    @Test
    void outOfRangeValuesAreErrorsNamingTheOption() {
        assertThatThrownBy(() -> load("partition_memory_limit = 10M\n")).isInstanceOf(NodeConfigException.class)
                .hasMessageContaining("[slapos] partition_memory_limit").hasMessageContaining("128.0 MiB");
        assertThatThrownBy(() -> load("partition_memory_limit = 150%\n"))
                .hasMessageContaining("partition_memory_limit").hasMessageContaining("at most 100%");
        assertThatThrownBy(() -> load("partition_max_processes = 3\n"))
                .hasMessageContaining("partition_max_processes").hasMessageContaining("16 to 4194304");
        assertThatThrownBy(() -> load("partition_cpu_limit = 0.001\n"))
                .hasMessageContaining("partition_cpu_limit").hasMessageContaining("0.01 to 1024");
        assertThatThrownBy(() -> load("partition_disk_quota = lots\n"))
                .hasMessageContaining("partition_disk_quota").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> load("cgroup_parent = ../escape\n")).hasMessageContaining("cgroup_parent");
    }
}
