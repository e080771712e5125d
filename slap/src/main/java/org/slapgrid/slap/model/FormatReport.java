package org.slapgrid.slap.model;

import java.util.List;

/** A node's partitions after {@code slapos node format}: the master adds the new ones. */
public record FormatReport(List<String> partitions) {
}
