package org.slapgrid.buildout.config;

import org.slapgrid.buildout.spi.SourceLocation;

/** One option value as written in one file, with the place it was written. */
public record RawValue(String value, SourceLocation location) {
}
