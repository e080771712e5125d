package org.slapgrid.master.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as people read them: relative ("3 min ago") on the page, the absolute UTC time on hover. */
public final class Times {
    private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String relative(Long epochMillis) {
        if (epochMillis == null) {
            return "never";
        }
        long s = Math.max(0, (System.currentTimeMillis() - epochMillis) / 1000);
        if (s < 10) {
            return "just now";
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }

    /** How long since {@code epochSeconds} (a service's start): "3 min", "2 h". */
    public static String uptime(Long epochSeconds) {
        if (epochSeconds == null) {
            return "";
        }
        return relative(epochSeconds * 1000).replace(" ago", "").replace("just now", "a few s");
    }

    public static String absolute(Long epochMillis) {
        return epochMillis == null ? "" : ABSOLUTE.format(Instant.ofEpochMilli(epochMillis));
    }

    /** The ISO form, for a {@code <time datetime>} attribute. */
    public static String iso(Long epochMillis) {
        return epochMillis == null ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }
}
