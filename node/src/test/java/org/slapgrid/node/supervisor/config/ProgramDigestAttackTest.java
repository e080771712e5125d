package org.slapgrid.node.supervisor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.slapgrid.node.supervisor.PartitionPrograms.DesiredState.STARTED;
import static org.slapgrid.node.supervisor.SupervisordFixture.script;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;

/**
 * Issue 10, finding 4, as the attack: a partition controls its {@code etc/service/}, and the
 * node (root) digests every executable there on each convergence. Swapping an executable for a
 * FIFO right after the node listed it must not leave the node blocked in {@code open()}; a
 * 50 GB sparse executable must not be read in full; a link must not be followed, also through
 * a linked directory.
 */
class ProgramDigestAttackTest {

    @TempDir
    Path tmp;

    private ConfigGenerator generator() {
        return new ConfigGenerator(SupervisorSettings.defaults(SupervisorLayout.under(tmp.resolve("srv")), "node-1"));
    }

    /**
     * A process of the partition swaps {@code etc/service/web} between a wrapper and a FIFO as
     * fast as it can (rename is atomic, as an attacker would do it). The node generates the
     * configuration many times: the old code checked "regular file" by path, then opened it, and
     * sooner or later opened the FIFO and never returned.
     */
    @Test
    void anExecutableSwappedForAFifoNeverBlocksTheNode() throws Exception {
        Path part = tmp.resolve("slappart0");
        script(part, "service", "web", "exec sleep 1000");
        Path service = part.resolve("etc/service");
        Process swapper = new ProcessBuilder("sh", "-c", "cd " + service + " && cp web wrapper && "
                + "while :; do cp -p wrapper w.tmp; mv -f w.tmp web; mkfifo f.tmp; chmod +x f.tmp; mv -f f.tmp web; done")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            ConfigGenerator gen = generator();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 0; i < 3000; i++) {
                    PartitionPrograms p = new PartitionPrograms("slappart0", part, null, STARTED,
                            java.util.List.of("web"), java.util.List.of());
                    gen.partition(p);
                    ProgramDigest.of(part, service.resolve("web"));
                }
            }, "the node blocked opening a FIFO the partition put in etc/service");
        } finally {
            swapper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFifoIsDigestedAsWhatItIsWithoutBeingOpenedForReading() throws Exception {
        Path part = tmp.resolve("slappart0");
        Path service = Files.createDirectories(part.resolve("etc/service"));
        Path fifo = service.resolve("web");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        String digest = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ProgramDigest.of(part, fifo));
        assertThat(digest).isNotEqualTo("unreadable").hasSize(16);
    }

    /** The old code read the whole file: 50 GB of zeros, 86 s on the demo machine. */
    @Test
    void aHugeSparseExecutableIsNotReadInFull() throws Exception {
        Path part = tmp.resolve("slappart0");
        Path big = script(part, "service", "big", "exec sleep 1000");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L << 30); // sparse: no disk used
        }
        String first = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ProgramDigest.of(part, big));
        assertThat(first).isNotEqualTo("unreadable");
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> generator().partition(PartitionPrograms.scan("slappart0", part, null, STARTED)).text()))
                .contains("SLAPGRID_PROGRAM_DIGEST=\"" + first + "\"");
        // still a change detector: rewriting it (size, time) changes the digest
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(51L << 30);
        }
        assertThat(ProgramDigest.of(part, big)).isNotEqualTo(first);
    }

    /** A wrapper is still digested by its content, and a rewrite restarts it. */
    @Test
    void anOrdinaryWrapperIsDigestedByItsContent() throws Exception {
        Path part = tmp.resolve("slappart0");
        Path web = script(part, "service", "web", "exec sleep 1000");
        String before = ProgramDigest.of(part, web);
        Files.writeString(web, "#!/bin/sh\nexec sleep 2000\n");
        assertThat(ProgramDigest.of(part, web)).isNotEqualTo(before).isNotEqualTo("unreadable");
        Files.writeString(web, "#!/bin/sh\nexec sleep 1000\n");
        assertThat(ProgramDigest.of(part, web)).isEqualTo(before);
    }

    /**
     * A link to a root-only file, directly or through a linked directory ({@code etc} pointing
     * elsewhere), is never read: its digest does not depend on the target's content.
     */
    @Test
    void linksAreNotFollowedNotEvenThroughALinkedDirectory() throws Exception {
        Path secret = tmp.resolve("root-only/secret");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "one");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        Path part = Files.createDirectories(tmp.resolve("slappart0/etc/service"));
        Path link = Files.createSymbolicLink(part.resolve("web"), secret);
        Path partition = tmp.resolve("slappart0");
        String viaLink = ProgramDigest.of(partition, link);

        Path other = Files.createDirectories(tmp.resolve("slappart1"));
        Files.createDirectories(tmp.resolve("elsewhere/service"));
        Files.copy(secret, tmp.resolve("elsewhere/service/web"));
        Files.createSymbolicLink(other.resolve("etc"), tmp.resolve("elsewhere"));
        String viaDirectory = ProgramDigest.of(other, other.resolve("etc/service/web"));

        Files.writeString(secret, "two");
        Files.writeString(tmp.resolve("elsewhere/service/web"), "two");
        assertThat(ProgramDigest.of(partition, link)).isEqualTo(viaLink);
        assertThat(ProgramDigest.of(other, other.resolve("etc/service/web"))).isEqualTo(viaDirectory);
    }
}
