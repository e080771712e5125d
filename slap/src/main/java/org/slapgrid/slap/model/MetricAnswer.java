package org.slapgrid.slap.model;

/** The master's answer to a metric batch: how many samples it kept, and how many it dropped and why. */
public record MetricAnswer(int accepted, int dropped, String why) {
}
