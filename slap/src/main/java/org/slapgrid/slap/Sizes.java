package org.slapgrid.slap;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in {@code slapos.cfg} and in the master's requests (resize, disks): {@code 0}
 * (none), a number of bytes, a number with a binary suffix ({@code 512K}, {@code 512M}, {@code 2G},
 * {@code 1T}; {@code MiB}/{@code MB} accepted, all powers of 1024), or, where a whole is known, a
 * percentage of it ({@code 50%}: of the machine's memory, of the file system's size). The one
 * reader of sizes: the node's configuration and the master's checks use it.
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%|[KMGT]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * A size without a percentage (the master's requests: it knows no machine's whole).
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches() || "%".equals(m.group(2))) {
            throw new IllegalArgumentException("expected a size such as 512M or 2G, got '" + text + "'");
        }
        return parse(text, 0);
    }

    /**
     * @param whole what a percentage is of (bytes)
     * @throws IllegalArgumentException naming what was expected
     */
    public static long parse(String text, long whole) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 0, 512M, 2G or 50%, got '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        double bytes = switch (unit) {
            case "%" -> {
                if (n > 100) {
                    throw new IllegalArgumentException("a percentage is at most 100%, got '" + text + "'");
                }
                yield whole * n / 100;
            }
            case "K" -> n * (1L << 10);
            case "M" -> n * (1L << 20);
            case "G" -> n * (1L << 30);
            case "T" -> n * (1L << 40);
            default -> n;
        };
        if (bytes >= Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return (long) bytes;
    }

    /** "512.0 MiB", "2.0 GiB", "900 B". */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
