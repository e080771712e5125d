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
    void aProgramLogThatIsASymlinkIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path part = tmp.resolve("slappart0");
        script(part, "service", "db", "exec sleep 1000");
        Files.createDirectories(part.resolve("var/log"));
        Files.createSymbolicLink(part.resolve("var/log/slappart0_db.log"), tmp.resolve("victim"));
        Supervisor supervisor = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));

        assertThatThrownBy(() -> supervisor.update(PartitionPrograms.scan("slappart0", part, null, STARTED)))
                .hasMessageContaining("partition slappart0: program log " + part.resolve("var/log/slappart0_db.log"))
                .hasMessageContaining("symbolic link");
        assertThat(tmp.resolve("node")).doesNotExist(); // supervisord was not even started
        assertThat(tmp.resolve("victim")).doesNotExist();
    }

    @Test
    void aLogDirectoryThatIsASymlinkIsRefused() throws Exception {
        Path part = tmp.resolve("slappart0");
        script(part, "service", "db", "exec sleep 1000");
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(part.resolve("var"), tmp.resolve("elsewhere"));
        Supervisor supervisor = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));

        assertThatThrownBy(() -> supervisor.update(PartitionPrograms.scan("slappart0", part, null, STARTED)))
                .hasMessageContaining("partition slappart0: " + part.resolve("var") + " is a symbolic link");
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
