package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short digest of a program's executable, written into its configuration so that changing
 * the executable changes the configuration (and restarts that program only). A symbolic link
 * is digested by its target's name, not followed: the partition user controls these files and
 * the node, as root, must not read through them.
 */
final class ProgramDigest {
    private ProgramDigest() {
    }

    static String of(Path executable) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isSymbolicLink(executable)) {
                sha.update(("symlink:" + Files.readSymbolicLink(executable)).getBytes(StandardCharsets.UTF_8));
            } else if (Files.isRegularFile(executable, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = Files.newInputStream(executable, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
            } else {
                sha.update("missing".getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
