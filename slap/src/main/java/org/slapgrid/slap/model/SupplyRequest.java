package org.slapgrid.slap.model;

/** {@code POST /api/v1/supplies}: install ({@code available}) or remove ({@code destroyed}) a release on a node. */
public record SupplyRequest(String url, String node, SupplyState state) {
}
