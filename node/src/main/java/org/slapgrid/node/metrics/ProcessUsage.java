package org.slapgrid.node.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the processes of each user use now, from one pass over {@code /proc}: CPU time
 * (user + system of the live processes and of the children they reaped, in clock ticks) and
 * resident memory. A process belongs to the owner of its {@code /proc/PID} directory (its
 * effective uid). Hand-written: neither ProcessHandle nor a library reads these per uid.
 */
final class ProcessUsage {

    /** Linux's USER_HZ: the unit of the times in /proc/PID/stat, 100 on every architecture Linux ships. */
    static final int TICKS_PER_SECOND = 100;
    private static final long PAGE = 4096;

    record Use(long cpuTicks, long residentBytes) {
        Use plus(Use o) {
            return new Use(cpuTicks + o.cpuTicks, residentBytes + o.residentBytes);
        }
    }

    private ProcessUsage() {
    }

    /** Use by uid, of every live process. */
    static Map<Integer, Use> byUid() {
        Map<Integer, Use> out = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    int uid = (Integer) Files.getAttribute(p, "unix:uid");
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
                    // fields after "pid (comm) ": state is [0], utime [11], stime [12], cutime [13], cstime [14], rss [21]
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (f[0].equals("Z") || f[0].equals("X")) {
                        return;
                    }
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    out.merge(uid, new Use(ticks, Long.parseLong(f[21]) * PAGE), Use::plus);
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }
}
