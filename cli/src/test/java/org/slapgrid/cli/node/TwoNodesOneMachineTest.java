package org.slapgrid.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.cli.Main;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.testing.Require;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Two nodes on one machine (issue 13, fleet): each registered with its own partition users'
 * prefix ({@code user_base_name}) and address range, formatted as root with real users: their
 * partitions' users and addresses are disjoint, and a node is not re-formatted with another prefix.
 */
class TwoNodesOneMachineTest extends MasterForNodes {

    @AfterEach
    void removeUsersAndAddressTables() throws Exception {
        for (String prefix : List.of("sgtwa", "sgtwb")) {
            for (int i = 0; i < 2; i++) {
                new ProcessExecutor().command("userdel", prefix + i).timeout(30, TimeUnit.SECONDS).execute();
            }
            new ProcessExecutor().command("nft", "delete", "table", "inet", "slapgrid-tw-" + prefix).timeout(30, TimeUnit.SECONDS).execute();
        }
    }

    private NodeConfig registerAndFormat(String node, String prefix, String network) throws Exception {
        Path dir = tmp.resolve(node);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cfg = dir.resolve("etc/slapos.cfg");
        assertThat(register(cfg, "--node-id", node, "--partitions", "2",
                "--instance-root", dir.resolve("srv").toString(), "--software-root", dir.resolve("opt").toString(),
                "--ipv4-network", network, "--user-base-name", prefix)).isZero();
        assertThat(Main.run("node", "format", "--config", cfg.toString())).isZero();
        return new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);
    }

    @Test
    void eachNodeHasItsOwnPartitionUsersAndAddresses() throws Exception {
        Require.root("partition users are real Unix users");
        NodeConfig a = registerAndFormat("tw-sgtwa", "sgtwa", "127.71.0.0/16");
        NodeConfig b = registerAndFormat("tw-sgtwb", "sgtwb", "127.72.0.0/16");
        assertThat(a.userBaseName()).isEqualTo("sgtwa");
        assertThat(a.buildUserPrefix()).isEqualTo("sgtwas");
        List<Partition> pa = NodeFormatter.formatted(a);
        List<Partition> pb = NodeFormatter.formatted(b);
        assertThat(pa).extracting(Partition::user).containsExactly("sgtwa0", "sgtwa1");
        assertThat(pb).extracting(Partition::user).containsExactly("sgtwb0", "sgtwb1");
        assertThat(UnixAccounts.exists("sgtwb1")).isTrue();
        assertThat(pa).extracting(Partition::ipv4).containsExactly("127.71.0.1", "127.71.0.2");
        assertThat(pb).extracting(Partition::ipv4).containsExactly("127.72.0.1", "127.72.0.2");
        assertThat(Files.getOwner(b.partitionDirectory("slappart1")).getName()).isEqualTo("sgtwb1");

        // a changed prefix is refused (the partitions' files belong to the old users), naming the option
        Path cfg = a.file();
        Files.writeString(cfg, Files.readString(cfg).replace("user_base_name = sgtwa", "user_base_name = sgtwc"));
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertThat(Main.run("node", "format", "--config", cfg.toString())).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).contains("[slapos] user_base_name: 'sgtwc', but the node was formatted with 'sgtwa'");
        assertThat(UnixAccounts.exists("sgtwc0")).isFalse();
    }
}
