package org.slapgrid.slap.model;

/**
 * {@code POST /api/v1/instances/{name}/services} and {@code POST /api/v1/clusters/{name}/services}:
 * {@code action} ({@code stop} or {@code start}) the services whose tags {@code tags} selects
 * (OpenSVC's syntax: {@code sm+pod02,db}). Kept as desired state: a stopped service stays stopped
 * across convergences until a start selects it again (docs/tags.md).
 */
public record ServiceAction(String action, String tags) {
}
