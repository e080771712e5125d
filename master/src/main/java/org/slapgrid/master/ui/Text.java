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

    /** A long URL shortened in the middle, the full one kept for a title attribute. */
    public static String shortUrl(String url) {
        return url == null || url.length() <= 60 ? url : url.substring(0, 25) + "…" + url.substring(url.length() - 32);
    }
}
