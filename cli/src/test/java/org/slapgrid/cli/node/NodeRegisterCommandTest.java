package org.slapgrid.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.slapgrid.cli.Main;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;
import org.slapgrid.slap.SlapClient;

/** `slapos node register` against a real master: the files it writes, and its refusals. */
class NodeRegisterCommandTest extends MasterForNodes {

    @Test
    void writesAConfigurationAndAPrivateSecretThatTheMasterAccepts() throws Exception {
        Path cfg = tmp.resolve("etc/slapos.cfg");
        int exit = register(cfg, "--node-id", "n1", "--partitions", "3",
                "--instance-root", tmp.resolve("srv").toString(), "--ipv4-network", "127.5.0.0/16");
        assertThat(exit).isZero();

        NodeConfig config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);
        assertThat(config.nodeId()).isEqualTo("n1");
        assertThat(config.partitionCount()).isEqualTo(3);
        assertThat(config.ipv4Network()).isEqualTo("127.5.0.0/16");
        assertThat(config.instanceRoot()).isEqualTo(tmp.resolve("srv"));
        Path secret = config.credentialsFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        SlapClient asNode = SlapClient.builder(master.url()).token(Files.readString(secret).strip()).build();
        assertThat(asNode.nodeInfo("n1").id()).isEqualTo("n1");
    }

    @Test
    void refusesToOverwriteBadIdsMissingTokensAndAnUnreachableMaster() throws Exception {
        Path cfg = tmp.resolve("etc/slapos.cfg");
        assertThat(register(cfg, "--node-id", "n2")).isZero();
        String written = Files.readString(cfg);

        assertThat(register(cfg, "--node-id", "n3")).as("exists: needs --force").isEqualTo(2);
        assertThat(Files.readString(cfg)).isEqualTo(written);
        assertThat(register(cfg, "--node-id", "bad id", "--force")).isEqualTo(2);
        assertThat(register(cfg, "--node-id", "n2", "--force")).as("already registered at the master").isEqualTo(1);
        assertThat(Main.run("node", "register", "--config", tmp.resolve("other.cfg").toString(), "--master",
                "http://127.0.0.1:9", "--node-id", "n4", "--token-file", adminToken.toString())).as("unreachable").isEqualTo(1);
        assertThat(tmp.resolve("other.cfg")).doesNotExist();
    }
}
