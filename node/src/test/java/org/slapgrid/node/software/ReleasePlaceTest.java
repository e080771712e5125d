package org.slapgrid.node.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.slap.SoftwareUrl;

/** Root reads a release's instance profile: never through a link, never a FIFO, never unbounded. */
class ReleasePlaceTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void anInstanceProfileThatIsALinkAFifoOrHugeIsRefused() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        ReleasePlace place = new ReleasePlace(SoftwareUrl.parse("/x/software.cfg"), tree, tmp.resolve("state"));
        Path secret = Files.writeString(tmp.resolve("secret"), "root's\n");

        Files.createSymbolicLink(tree.resolve("instance.cfg"), secret);
        assertThat(place.instanceProfile()).as("a link is not a profile").isEmpty();
        assertThatThrownBy(() -> place.readProfile(tree.resolve("instance.cfg"))).isInstanceOf(IOException.class);

        Files.delete(tree.resolve("instance.cfg"));
        new ProcessBuilder("mkfifo", tree.resolve("instance.cfg").toString()).start().waitFor();
        assertThat(place.instanceProfile()).as("a FIFO is not a profile").isEmpty();
        assertThatThrownBy(() -> place.readProfile(tree.resolve("instance.cfg"))).hasMessageContaining("not a regular file");

        Files.delete(tree.resolve("instance.cfg"));
        Files.write(tree.resolve("instance.cfg"), new byte[(int) ReleasePlace.MAX_PROFILE_BYTES + 1]);
        assertThatThrownBy(() -> place.readProfile(tree.resolve("instance.cfg"))).hasMessageContaining("at most");

        Files.writeString(tree.resolve("instance.cfg"), "[buildout]\n");
        assertThat(place.instanceProfile()).contains(tree.resolve("instance.cfg"));
        assertThat(place.readProfile(tree.resolve("instance.cfg"))).isEqualTo("[buildout]\n");
    }
}
