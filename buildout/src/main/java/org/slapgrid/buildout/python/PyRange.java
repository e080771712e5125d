package org.slapgrid.buildout.python;

import java.util.Iterator;

/** Python's range: lazy, as big as asked (a loop stops early with break). */
public record PyRange(long start, long stop, long step) implements Iterable<Object> {

    public long length() {
        if (step > 0) {
            return Math.max(0, (stop - start + step - 1) / step);
        }
        return Math.max(0, (start - stop - step - 1) / -step);
    }

    public long at(long i) {
        return start + i * step;
    }

    @Override
    public Iterator<Object> iterator() {
        return new Iterator<>() {
            long i;

            @Override
            public boolean hasNext() {
                return i < length();
            }

            @Override
            public Object next() {
                return at(i++);
            }
        };
    }
}
