package org.slapgrid.master.ui;

/** Text shaping for the pages (the templates escape; this only cuts). */
public final class Text {
    private Text() {
    }

    /** The last {@code lines} lines of a log, or "" for none. */
    public static String tail(String log, int lines) {
        if (log == null) {
            return "";
        }
        String s = log.stripTrailing();
        int at = s.length();
        for (int k = 0; k < lines && at > 0; k++) {
            at = s.lastIndexOf('\n', at - 1);
            if (at < 0) {
                return s;
            }
        }
        return s.substring(at + 1);
    }

    /**
     * The range of a node's partition addresses, lowest to highest ("127.42.0.2 – 127.42.0.5, 4
     * addresses"), or null when the node reported none. IPv4 only, as nodes report them.
     */
    public static String addressRange(java.util.List<String> addresses) {
        java.util.List<String> sorted = addresses.stream().filter(a -> a.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
                .sorted(java.util.Comparator.comparingLong(Text::ipv4)).distinct().toList();
        if (sorted.isEmpty()) {
            return null;
        }
        String first = sorted.get(0);
        String last = sorted.get(sorted.size() - 1);
        return sorted.size() == 1 ? first : first + " – " + last + ", " + sorted.size() + " addresses";
    }

    private static long ipv4(String a) {
        long v = 0;
        for (String part : a.split("\\.")) {
            v = v * 256 + Long.parseLong(part);
        }
        return v;
    }

    /** A message's first line: a bang's summary (what crashed, how), before the log lines a node adds. */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The last {@code lines} lines after the first one ("" when there is none): a bang's log tail. */
    public static String tailAfterFirstLine(String message, int lines) {
        if (message == null || message.indexOf('\n') < 0) {
            return "";
        }
        return tail(message.substring(message.indexOf('\n') + 1), lines);
    }

    /** A long URL shortened in the middle, the full one kept for a title attribute. */
    public static String shortUrl(String url) {
        return url == null || url.length() <= 60 ? url : url.substring(0, 25) + "…" + url.substring(url.length() - 32);
    }
}
