package org.slapgrid.node.limits;

import org.slapgrid.slap.Sizes;
import java.time.Instant;

/**
 * A partition's disk use as last measured, against the node's quota ({@code [slapos]
 * partition_disk_quota}; 0: none). {@code error} says why it could not be measured (null: it was).
 */
public record DiskUse(long bytes, long quota, Instant measuredAt, String error) {

    public boolean exceeded() {
        return error == null && quota > 0 && bytes > quota;
    }

    /** "1.2 GiB of 10.0 GiB quota", "1.2 GiB (no quota)", "unknown: ...". */
    public String describe() {
        if (error != null) {
            return "unknown (" + error + ")";
        }
        return Sizes.format(bytes) + (quota > 0 ? " of " + Sizes.format(quota) + " quota" : " (no quota)")
                + (exceeded() ? ": quota exceeded" : "");
    }

    /** The error reported when the quota is exceeded: names the quota and where it is set. */
    public String violation(String partitionId) {
        return "partition " + partitionId + " uses " + Sizes.format(bytes) + " of disk, more than its quota of "
                + Sizes.format(quota) + " ([slapos] partition_disk_quota in slapos.cfg)";
    }
}
