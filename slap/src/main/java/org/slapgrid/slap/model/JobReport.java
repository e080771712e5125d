package org.slapgrid.slap.model;

import java.util.Map;

/**
 * What a node reports of a partition job ({@code PUT /api/v1/nodes/{node}/partitions/{p}/jobs/{id}}):
 * its state ({@code RUNNING} when it starts, then {@code DONE} or {@code FAILED}, once), the
 * exit code and the tail of the output of what it ran, how long it took, and a small result
 * (a backup's checksum and size...).
 */
public record JobReport(JobState state, Integer exitCode, String output, Long durationMs, Map<String, Object> result) {
}
