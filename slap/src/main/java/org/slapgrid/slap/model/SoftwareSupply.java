package org.slapgrid.slap.model;

/**
 * One software release supplied to a node: what the master wants ({@code requestedState}) and
 * what the node last reported ({@code reportedState}, null until the first report).
 */
public record SoftwareSupply(String url, SupplyState requestedState, SoftwareState reportedState, String errorLog) {
}
