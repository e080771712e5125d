package org.slapgrid.buildout.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a whitespace-separated option value ({@code parts}, {@code extends}, a recipe's
 * list option): what {@code value.split("\\s+")} gives, without the empty words. Hand-written
 * because {@code String.split} compiles its regular expression at every call, and a short
 * {@code slapos buildout} run spends a measurable part of its time compiling and running its
 * first regular expressions (docs/benchmarks.md, start-up). Whitespace is the regex's {@code \s}.
 */
public final class Words {

    private Words() {
    }

    public static List<String> split(String value) {
        List<String> words = new ArrayList<>();
        int n = value.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(value.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(value.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(value.substring(start, i));
            }
        }
        return words;
    }

    /** The regex {@code \s}: {@code [ \t\n\x0B\f\r]}. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
