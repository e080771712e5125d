package org.slapgrid.slap.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Lower-case JSON names for the protocol's enumerations, with an error that lists the valid ones.
 * Case-sensitive, as the protocol says: "Started" is refused, not read as "started".
 */
final class Enums {
    private Enums() {
    }

    /** The constant's JSON name: its Java name in lower case. */
    static String json(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String s) {
        if (s == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (json(e).equals(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(Enums::json).collect(Collectors.joining(", ")));
    }
}
