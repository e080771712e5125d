package org.slapgrid.buildout.python;

/** A slice {@code a[start:stop:step]}; null bounds are Python's None. */
public record PySlice(Object start, Object stop, Object step) {
}
