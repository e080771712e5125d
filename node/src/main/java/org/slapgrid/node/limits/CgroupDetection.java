package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the machine's cgroup hierarchies from {@code /proc/self/mountinfo} and the cgroups this
 * process is in from {@code /proc/self/cgroup}, and picks: cgroup v1 when its pids and memory
 * controllers are mounted (cpu and freezer used when there too), else cgroup v2 when pids and
 * memory are available in the unified hierarchy, else nothing (and why).
 */
final class CgroupDetection {

    /** A mounted hierarchy: where, what part of the hierarchy it shows, writable or not. */
    record Mount(Path mountPoint, String root, boolean writable, Set<String> controllers) {

        /** The directory of a cgroup given by its path in the hierarchy (as /proc/self/cgroup writes it). */
        Path directoryOf(String cgroupPath) {
            String rel = cgroupPath;
            if (!root.equals("/") && (rel.equals(root) || rel.startsWith(root + "/"))) {
                rel = rel.substring(root.length());
            }
            rel = rel.replaceFirst("^/+", "");
            return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
        }
    }

    static final List<String> V1_REQUIRED = List.of("pids", "memory");
    static final List<String> V1_OPTIONAL = List.of("cpu", "freezer");

    private CgroupDetection() {
    }

    static CgroupController detect(String nodeId, String cgroupParent, Path launcherDir) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return new Unavailable("the node does not run as root (single-user mode): partitions share the user's limits");
        }
        String mountinfo;
        String ownCgroups;
        try {
            mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
            ownCgroups = Files.readString(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            return new Unavailable("cannot read /proc/self/mountinfo or /proc/self/cgroup: " + e.getMessage());
        }
        return detect(nodeId, cgroupParent, launcherDir, parseMounts(mountinfo), parseOwn(ownCgroups));
    }

    static CgroupController detect(String nodeId, String cgroupParent, Path launcherDir, List<Mount> mounts,
                                   Map<String, String> own) {
        String parentName = "slapgrid-" + nodeId;
        Map<String, Mount> v1 = new HashMap<>();
        Mount v2 = null;
        for (Mount m : mounts) {
            if (m.controllers() == null) {
                v2 = m;
            } else {
                for (String c : m.controllers()) {
                    v1.putIfAbsent(c, m);
                }
            }
        }
        if (v1.keySet().containsAll(V1_REQUIRED)) {
            Map<String, Path> parents = new LinkedHashMap<>();
            List<String> wanted = new ArrayList<>(V1_REQUIRED);
            V1_OPTIONAL.stream().filter(v1::containsKey).forEach(wanted::add);
            for (String c : wanted) {
                Mount m = v1.get(c);
                if (!m.writable()) {
                    if (V1_REQUIRED.contains(c)) {
                        return new Unavailable("cgroup v1 " + c + " controller is mounted read-only at " + m.mountPoint());
                    }
                    continue;
                }
                String base = cgroupParent != null ? cgroupParent
                        : own.getOrDefault(c, "/").replaceFirst("/+$", "") + "/" + parentName;
                parents.put(c, m.directoryOf(base));
            }
            String problem = notWritable(parents.values());
            if (problem != null) {
                return new Unavailable("cgroup v1: " + problem);
            }
            return new CgroupV1(parents, launcherDir);
        }
        if (v2 != null) {
            if (!v2.writable()) {
                return new Unavailable("cgroup v2 is mounted read-only at " + v2.mountPoint());
            }
            String ownPath = own.getOrDefault("", "/");
            Path ownDir = v2.directoryOf(ownPath);
            Path parent = v2.directoryOf(cgroupParent != null ? cgroupParent : ownPath.replaceFirst("/+$", "") + "/" + parentName);
            String controllers = read(ownDir.resolve("cgroup.controllers"));
            if (controllers == null || !List.of(controllers.split("\\s+")).containsAll(V1_REQUIRED)) {
                return new Unavailable("cgroup v2 at " + v2.mountPoint() + ": the pids and memory controllers are not"
                        + " available in " + ownDir + " (they are '" + (controllers == null ? "" : controllers.strip())
                        + "'; with cgroup v1 mounted for them, or without delegation)");
            }
            String problem = notWritable(List.of(parent));
            if (problem != null) {
                return new Unavailable("cgroup v2: " + problem);
            }
            return new CgroupV2(v2.mountPoint(), parent, launcherDir);
        }
        return new Unavailable("no cgroup hierarchy with the pids and memory controllers is mounted");
    }

    /** Null when every directory exists writable or can be created; else what stops it. */
    private static String notWritable(Iterable<Path> dirs) {
        for (Path d : dirs) {
            Path p = d;
            while (p != null && !Files.isDirectory(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.isWritable(p)) {
                return "cannot create " + d + " (" + p + " is not writable)";
            }
        }
        return null;
    }

    /** The cgroup mounts of mountinfo: "id parent maj:min root mountpoint options ... - fstype source superoptions". */
    static List<Mount> parseMounts(String mountinfo) {
        List<Mount> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 6 || right.length < 3) {
                continue;
            }
            String fstype = right[0];
            boolean writable = List.of(left[5].split(",")).contains("rw");
            Path mountPoint = Path.of(unescape(left[4]));
            if (fstype.equals("cgroup2")) {
                out.add(new Mount(mountPoint, unescape(left[3]), writable, null));
            } else if (fstype.equals("cgroup")) {
                Set<String> controllers = new java.util.TreeSet<>();
                for (String o : right[2].split(",")) {
                    if (Set.of("pids", "memory", "cpu", "cpuacct", "freezer", "cpuset", "blkio", "devices").contains(o)) {
                        controllers.add(o);
                    }
                }
                if (!controllers.isEmpty()) {
                    out.add(new Mount(mountPoint, unescape(left[3]), writable, Set.copyOf(controllers)));
                }
            }
        }
        return out;
    }

    /** /proc/self/cgroup: "hierarchy-id:controllers:path"; v2 has empty controllers (key ""). */
    static Map<String, String> parseOwn(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[1].isEmpty()) {
                out.put("", f[2]);
            }
            for (String c : f[1].split(",")) {
                if (!c.isEmpty()) {
                    out.put(c, f[2]);
                }
            }
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
