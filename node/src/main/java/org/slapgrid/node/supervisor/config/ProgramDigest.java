package org.slapgrid.node.supervisor.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.slapgrid.node.io.UntrustedFile;

/**
 * A short digest of a program's executable, written into its configuration so that changing
 * the executable changes the configuration (and restarts that program only). The partition
 * user controls these files and the node runs as root, so they are read through
 * {@link UntrustedFile}: no link is followed (a link is digested by its target's name), a FIFO
 * or device is never opened for reading, and only files up to {@link #CONTENT_LIMIT} are read;
 * a larger one (no wrapper is that big) is digested by its size and modification time.
 */
final class ProgramDigest {

    /** Wrappers are a few hundred bytes; a 1 MiB executable is read, a 50 GB sparse file is not. */
    static final int CONTENT_LIMIT = 1 << 20;

    private ProgramDigest() {
    }

    static String of(Path partitionDirectory, Path executable) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            UntrustedFile.Read r = UntrustedFile.read(partitionDirectory, partitionDirectory.relativize(executable),
                    CONTENT_LIMIT);
            sha.update(r.identity());
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException | RuntimeException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
