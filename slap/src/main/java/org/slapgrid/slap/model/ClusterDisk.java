package org.slapgrid.slap.model;

/**
 * {@code POST /api/v1/clusters/{name}/disk-attach} (with {@code size}, e.g. {@code 1G}) and
 * {@code .../disk-detach} (without): a data disk {@code disk} of one member.
 */
public record ClusterDisk(String member, String disk, String size) {
}
