package org.slapgrid.master.cluster;

import java.util.ArrayList;
import java.util.List;
import org.slapgrid.slap.model.ClusterStatus;
import org.slapgrid.slap.model.PartitionStatus;

/**
 * OpenSVC's status aggregation (opensvc {@code core/status}, seed 002's {@code print status}):
 * {@code n/a} is neutral (x + n/a = x), {@code undef} too, equal values stay, {@code up} +
 * {@code down} = {@code warn}, {@code warn} wins over everything. A service maps running to up,
 * a run-once script that exited with 0 to up (its work is done: OpenSVC's task resources are not
 * down once they ran), stopped on purpose to n/a, starting or backing off to warn, anything else to down; a promise
 * kept to up, broken to down. Services feed {@code avail}, promises {@code accessory},
 * {@code overall} merges both. Hand-written: a dozen lines of rules, no library has them.
 */
final class StatusTree {
    static final String UP = "up";
    static final String DOWN = "down";
    static final String WARN = "warn";
    static final String NA = "n/a";
    static final String UNDEF = "undef";

    private StatusTree() {
    }

    static String merge(String a, String b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        boolean neutralA = a.equals(NA) || a.equals(UNDEF);
        boolean neutralB = b.equals(NA) || b.equals(UNDEF);
        if (neutralA || neutralB) {
            return neutralA && neutralB ? (a.equals(NA) || b.equals(NA) ? NA : UNDEF) : neutralA ? b : a;
        }
        return a.equals(b) ? a : WARN; // up + down, or anything with warn
    }

    static String mergeAll(List<String> values, String empty) {
        String out = null;
        for (String v : values) {
            out = out == null ? v : merge(out, v);
        }
        return out == null ? empty : out;
    }

    static String service(PartitionStatus.Service s) {
        if (s.stoppedOnPurpose()) {
            return NA;
        }
        if (s.completed()) {
            return UP;
        }
        return switch (s.state() == null ? "" : s.state()) {
            case "RUNNING" -> UP;
            case "STARTING", "BACKOFF", "STOPPING" -> WARN;
            default -> DOWN;
        };
    }

    /** A member's subtree from its node's last report (null: never reported, everything undef). */
    static ClusterStatus.Member member(String name, String role, String node, PartitionStatus status) {
        if (status == null) {
            return new ClusterStatus.Member(name, role, node, UNDEF, UNDEF, UNDEF, null, List.of(), List.of());
        }
        List<ClusterStatus.Item> services = new ArrayList<>();
        for (PartitionStatus.Service s : status.services()) {
            services.add(new ClusterStatus.Item(s.name(), service(s), s.state()
                    + (s.stoppedOnPurpose() ? " (on purpose)" : s.completed() ? " (run once, done)" : "")
                    + (s.restarts() > 0 ? ", restarted " + s.restarts() + "x" : "")));
        }
        List<ClusterStatus.Item> promises = new ArrayList<>();
        for (PartitionStatus.Promise p : status.promises()) {
            promises.add(new ClusterStatus.Item(p.name(), p.kept() ? UP : DOWN, p.kept() ? "kept" : firstLine(p.output())));
        }
        String avail = mergeAll(services.stream().map(ClusterStatus.Item::status).toList(), NA);
        if (status.lastError() != null && avail.equals(UP)) {
            avail = WARN; // OpenSVC: a resource with errors in its log makes the level warn
        }
        String accessory = mergeAll(promises.stream().map(ClusterStatus.Item::status).toList(), NA);
        return new ClusterStatus.Member(name, role, node, merge(avail, accessory), avail, accessory, status.reportedAt(),
                services, promises);
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "broken";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
