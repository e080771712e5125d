package org.slapgrid.slap.model;

import java.util.List;
import java.util.Map;

/**
 * One cluster backup: the cluster it was taken of (by name: it may be gone since), its release,
 * topology, parameters and roles with their sizes at the time, and one part per member (each a
 * tar.gz of what the member's {@code etc/backup} wrote, with its size and sha256). A backup is
 * recorded only once every part is in.
 */
public record ClusterBackup(String id, String cluster, String owner, String softwareUrl, ClusterTopology topology,
                            Map<String, Object> parameters, List<ClusterRole> roles, long createdAt, List<Part> parts) {

    public record Part(String member, String role, long size, String sha256) {
    }
}
