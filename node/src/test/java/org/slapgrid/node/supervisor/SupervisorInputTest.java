package org.slapgrid.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slapgrid.node.supervisor.PartitionPrograms.DesiredState.STARTED;
import static org.slapgrid.node.supervisor.SupervisordFixture.script;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input the Supervisor refuses before touching supervisord or any file (no supervisord needed). */
class SupervisorInputTest {
    @TempDir
    Path tmp;

    @Test
    void whateverAPartitionPlantsInItsVarLogNothingIsWrittenThroughIt() throws Exception {
        SupervisordFixture.requireSupervisord();
        Path part = tmp.resolve("slappart0");
        script(part, "service", "db", "echo written-by-the-service; exec sleep 1000");
        Files.createDirectories(part.resolve("var/log"));
        Files.createSymbolicLink(part.resolve("var/log/slappart0_db.log"), tmp.resolve("victim"));
        Supervisor supervisor = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));
        try {
            supervisor.update(PartitionPrograms.scan("slappart0", part, null, STARTED));
            Path log = supervisor.settings().layout().partitionLogDir("slappart0").resolve("slappart0_db.log");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> Files.isRegularFile(log) && Files.readString(log).contains("written-by-the-service"));
            assertThat(tmp.resolve("victim")).doesNotExist();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())))
                    .isEqualTo("rwxr-x---");
        } finally {
            supervisor.shutdown();
        }
    }

    @Test
    void aPartitionListedTwiceIsRefused() throws Exception {
        Path part = tmp.resolve("slappart0");
        script(part, "service", "db", "exec sleep 1000");
        Supervisor supervisor = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));
        PartitionPrograms p = PartitionPrograms.scan("slappart0", part, null, STARTED);
        assertThatThrownBy(() -> supervisor.apply(java.util.List.of(p, p)))
                .hasMessage("partition slappart0 is listed twice");
    }
}
