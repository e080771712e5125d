package org.slapgrid.slap.model;

import java.util.Map;

/**
 * A partition job as the master keeps it: for whom ({@code instance}, its name), what, and how it
 * ended. Times are epoch milliseconds (null until they happen); {@code output} is a bounded tail.
 */
public record JobInfo(String id, String instance, String kind, Map<String, Object> args, JobState state, long createdAt,
                      Long startedAt, Long finishedAt, Integer exitCode, String output, Long durationMs,
                      Map<String, Object> result) {
}
