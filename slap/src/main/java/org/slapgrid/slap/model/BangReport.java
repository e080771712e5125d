package org.slapgrid.slap.model;

/** Something broke in an instance: the master bumps its whole tree so nodes re-converge it. */
public record BangReport(String message) {
}
