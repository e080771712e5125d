package org.slapgrid.node.instance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The instance parameters that the node itself obeys (as opposed to those only the instance
 * profile reads), each with its documented range (docs/security.md, "requester -> node").
 * Parameters come from the instance's requester, who is not trusted: a value out of range is an
 * error naming the parameter and its range, never a silent clamp and never an overflow. This is
 * the one place the node reads such parameters; a new one is added here and in the docs table.
 */
public final class NodeParameters {

    /** An integer parameter of the node: its name, inclusive range and default. */
    public record IntegerParameter(String name, long min, long max, long defaultValue, String unit) {
        public String range() {
            return "an integer from " + min + " to " + max + " (" + unit + ")";
        }
    }

    /** How long, in seconds, the prerm scripts get together before a destruction goes on. */
    public static final IntegerParameter DRAIN_TIMEOUT =
            new IntegerParameter("slapgrid-drain-timeout", 0, 3600, 300, "seconds");

    /** Every parameter the node reads, for validation and the docs. */
    public static final List<IntegerParameter> ALL = List.of(DRAIN_TIMEOUT);

    /** A parameter the node reads has a value outside its range; the message names both. */
    public static final class OutOfRange extends Exception {
        OutOfRange(String message) {
            super(message);
        }
    }

    private final Map<String, Object> parameters;

    public NodeParameters(Map<String, Object> parameters) {
        this.parameters = parameters == null ? Map.of() : parameters;
    }

    /** Every problem with the parameters the node reads, one message each (empty: all valid). */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (IntegerParameter p : ALL) {
            try {
                value(p);
            } catch (OutOfRange e) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    public Duration drainTimeout() throws OutOfRange {
        return Duration.ofSeconds(value(DRAIN_TIMEOUT));
    }

    /** The value of {@code p} (its default when absent or empty), or why it is not acceptable. */
    public long value(IntegerParameter p) throws OutOfRange {
        Object v = parameters.get(p.name());
        if (v == null || v.toString().isBlank()) {
            return p.defaultValue(); // an empty value counts as no value, as for every slap-parameter
        }
        String text = v.toString().strip();
        BigDecimal d;
        try {
            // BigDecimal, not Long.parseLong: 9223372036854775808 or 1e100 must be "out of range", not a crash
            d = text.length() > 64 ? null : new BigDecimal(text);
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null || d.stripTrailingZeros().scale() > 0) {
            throw new OutOfRange("parameter " + p.name() + " = '" + shorten(text) + "' is not " + p.range());
        }
        // compared as decimals: no conversion of 1e999999999 to an integer (that alone would take minutes)
        if (d.compareTo(BigDecimal.valueOf(p.min())) < 0 || d.compareTo(BigDecimal.valueOf(p.max())) > 0) {
            throw new OutOfRange("parameter " + p.name() + " = " + shorten(text) + " is out of range: it must be " + p.range());
        }
        long n = d.longValueExact();
        return n;
    }

    private static String shorten(Object v) {
        String s = v.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
