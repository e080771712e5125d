package org.slapgrid.node.software;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;


import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.slap.SoftwareUrl;

/**
 * Where a release lives on the node, and the one owner of that layout: its tree
 * {@code <software-root>/<md5 of the URL>/} (built by the release's own user, then root's and
 * read-only), and the node's own record of it in {@code var/software/<md5>/} (root's): the
 * build profile, the build log and the {@code completed} marker. Root's markers are never in
 * the tree, which the build user could write while it builds.
 */
public record ReleasePlace(SoftwareUrl url, Path tree, Path state) {

    /** The most the node reads of an instance profile: a release's profile is a few kilobytes. */
    static final long MAX_PROFILE_BYTES = 1 << 20;

    public static ReleasePlace of(NodeConfig config, SoftwareUrl url) {
        return new ReleasePlace(url, config.softwareRoot().resolve(url.directoryName()),
                config.stateDirectory().resolve("software").resolve(url.directoryName()));
    }

    public static ReleasePlace of(NodeConfig config, String url) {
        return of(config, SoftwareUrl.parse(url));
    }

    /** Written by the node once the release is built and read-only: its content (a time) is part of the release's digest. */
    public Path completed() {
        return state.resolve("completed");
    }

    Path buildProfile() {
        return state.resolve("buildout.cfg");
    }

    Path buildLog() {
        return state.resolve("build.log");
    }

    /** Where a git release's working tree is fetched, by the build user, inside the release's tree. */
    Path gitSource() {
        return tree.resolve(".slapgrid-source");
    }

    public boolean built() {
        return Files.isRegularFile(completed(), LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The release's instance profile ({@code instance.cfg}, else {@code template.cfg}): a
     * regular file right in the tree, not a link (root reads it; a link could name any file,
     * a FIFO would block the read).
     */
    public Optional<Path> instanceProfile() {
        for (String name : new String[] {"instance.cfg", "template.cfg"}) {
            Path p = tree.resolve(name);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Reads an instance profile without following a link and at most {@link #MAX_PROFILE_BYTES}. */
    public static String readProfile(Path profile) throws IOException {
        BasicFileAttributes a = Files.readAttributes(profile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException(profile + " is not a regular file");
        }
        if (a.size() > MAX_PROFILE_BYTES) {
            throw new IOException(profile + " is " + a.size() + " bytes long: an instance profile may have at most " + MAX_PROFILE_BYTES);
        }
        try (SeekableByteChannel ch = Files.newByteChannel(profile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate((int) MAX_PROFILE_BYTES + 1);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // a file that grew since the check is cut at the bound, and refused just below
            }
            if (buf.position() > MAX_PROFILE_BYTES) {
                throw new IOException(profile + " grew beyond " + MAX_PROFILE_BYTES + " bytes while being read");
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
