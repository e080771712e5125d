package org.slapgrid.slap.model;

import java.util.Map;

/**
 * One entry of a cluster's append-only event log ({@code slapos cluster events NAME}): when
 * (epoch milliseconds), what kind ({@code create}, {@code grow}, {@code refused}, {@code backup},
 * {@code hook}, {@code autoscale}, ...), a message for people and details for scripts.
 */
public record ClusterEvent(long at, String kind, String message, Map<String, Object> details) {
}
