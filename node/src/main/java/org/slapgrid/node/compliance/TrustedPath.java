package org.slapgrid.node.compliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whether root may run a node-level module: the module's real path and every directory on the
 * way to it owned by root (or by the node's own user when the node does not run as root) and
 * writable by no group or other, and so is everything in the module's directory (the libraries
 * a module calls, such as seed 002's {@code com.opensvc/files.py}). A world-writable directory
 * with the sticky bit ({@code /tmp}) is accepted on the way when the next entry is trusted: no
 * one else can rename or remove that entry. Root never runs what a partition controls.
 *
 * <p>Hand-written: the JDK checks one file's attributes, no library walks a path this way.
 */
final class TrustedPath {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;
    /** The most entries a module's directory may hold (each is checked). */
    private static final long MAX_ENTRIES = 10_000;

    private final int self;

    TrustedPath(int selfUid) {
        this.self = selfUid;
    }

    static TrustedPath forThisProcess() throws IOException {
        return new TrustedPath((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** Null when root may run {@code module} as it is; else why not. Gives the real path to run in {@code real[0]}. */
    String refusal(Path module, Path[] real) throws IOException {
        Path r = module.toRealPath();
        real[0] = r;
        java.util.List<Path> chain = new java.util.ArrayList<>();
        Path at = r.getRoot();
        chain.add(at);
        for (Path part : r) {
            at = at.resolve(part);
            chain.add(at);
        }
        for (int i = 0; i < chain.size(); i++) {
            Path p = chain.get(i);
            int mode = mode(p);
            // a sticky directory on the way: the next entry (checked next) cannot be swapped by others
            boolean stickyOnTheWay = i < chain.size() - 1 && (mode & STICKY) != 0;
            String w = check(p, stickyOnTheWay);
            if (w != null) {
                return w;
            }
        }
        try (Stream<Path> all = Files.walk(r.getParent())) {
            var it = all.iterator();
            long n = 0;
            while (it.hasNext()) {
                Path p = it.next();
                if (++n > MAX_ENTRIES) {
                    return r.getParent() + " holds more than " + MAX_ENTRIES + " entries";
                }
                if (Files.isSymbolicLink(p)) {
                    return p + " is a link (root would run what it points to)";
                }
                String w = check(p, false);
                if (w != null) {
                    return w;
                }
            }
        }
        return null;
    }

    /** Why {@code p} is not trusted (its owner, or its write bits unless {@code othersMayWrite}), or null. */
    private String check(Path p, boolean othersMayWrite) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) a.get("uid");
        int mode = (Integer) a.get("mode");
        if (uid != 0 && uid != self) {
            return p + " is owned by uid " + uid + ", not root";
        }
        if (!othersMayWrite && (mode & GROUP_OR_OTHER_WRITE) != 0) {
            return p + " is writable by group or others (mode " + Integer.toOctalString(mode & 07777) + ")";
        }
        return null;
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
