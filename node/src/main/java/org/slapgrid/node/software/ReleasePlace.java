package org.slapgrid.node.software;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;


import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.io.UntrustedFile;
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

    /**
     * Reads an instance profile of this release as the untrusted file it is (no link followed,
     * a FIFO not waited for, at most {@link #MAX_PROFILE_BYTES}), with {@link UntrustedFile}.
     */
    public String readProfile(Path profile) throws IOException {
        UntrustedFile.Read r = UntrustedFile.read(tree, tree.relativize(profile), (int) MAX_PROFILE_BYTES);
        return switch (r.kind()) {
            case REGULAR -> new String(r.content(), StandardCharsets.UTF_8);
            case TOO_LARGE -> throw new IOException(profile + " is " + r.size()
                    + " bytes long: an instance profile may have at most " + MAX_PROFILE_BYTES);
            case UNSUPPORTED_PLATFORM -> throw new IOException(profile + ": no safe way to read it on this platform");
            default -> throw new IOException(profile + " is not a regular file (" + r.kind().name().toLowerCase(java.util.Locale.ROOT) + ")");
        };
    }
}
