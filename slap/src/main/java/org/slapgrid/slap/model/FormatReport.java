package org.slapgrid.slap.model;

import java.util.List;
import java.util.Map;

/**
 * A node's partitions after {@code slapos node format}: the master adds the new ones.
 * {@code addresses}: each partition's own address by partition id (optional; older nodes send
 * none), shown to the peers of a cluster member hosted there.
 */
public record FormatReport(List<String> partitions, Map<String, String> addresses) {

    public FormatReport(List<String> partitions) {
        this(partitions, null);
    }
}
