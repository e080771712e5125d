package org.slapgrid.master.service;

import java.util.regex.Pattern;

/** Field checks shared by the services; each failure names the field. */
public final class Validate {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Validate() {
    }

    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw ApiException.badRequest(field + " must be 1-128 letters, digits, '.', '_' or '-' (got "
                    + (value == null ? "nothing" : "'" + clip(value) + "'") + ")");
        }
        return value;
    }

    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field + " is required");
        }
        if (value.length() > max) {
            throw ApiException.badRequest(field + " is longer than " + max + " characters");
        }
        if (value.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.badRequest(field + " contains control characters");
        }
        return value;
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw ApiException.badRequest(field + " is required");
        }
        return value;
    }

    /** The last {@code max} characters of {@code s} (a log's newest lines), marked as cut; null stays null. */
    public static String tail(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String marker = "[... " + (s.length() - max) + " characters cut]\n";
        return marker + s.substring(s.length() - Math.max(0, max - marker.length()));
    }

    static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
