package org.slapgrid.buildout.engine;

import java.util.List;

import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;

/**
 * {@code ${section:option}} substitution (reference §1.8), scanned by hand rather than with
 * buildout's regular expressions so that no input can make it backtrack. The value is split on
 * {@code $$}, each piece substituted, and the pieces joined with a single {@code $} (the SlapOS
 * fork's escape: {@code $${a:b}} yields the text {@code ${a:b}}).
 */
final class Substitution {

    private Substitution() {
    }

    static String substitute(Resolver resolver, Section section, String option, String value,
                             SourceLocation where, List<String> seen) {
        StringBuilder out = new StringBuilder(value.length());
        int start = 0;
        while (true) {
            int esc = value.indexOf("$$", start);
            int end = esc < 0 ? value.length() : esc;
            substitutePiece(resolver, section, option, value, start, end, where, seen, out);
            if (esc < 0) {
                break;
            }
            out.append('$');
            start = esc + 2;
        }
        return out.toString();
    }

    private static void substitutePiece(Resolver resolver, Section section, String option, String value,
                                        int from, int to, SourceLocation where, List<String> seen, StringBuilder out) {
        int i = from;
        while (i < to) {
            int ref = value.indexOf("${", i);
            if (ref < 0 || ref >= to) {
                out.append(value, i, to);
                return;
            }
            int close = value.indexOf('}', ref + 2);
            if (close < 0 || close >= to) {
                out.append(value, i, to);   // "${" without "}" is literal text, as in buildout
                return;
            }
            out.append(value, i, ref);
            String token = value.substring(ref, close + 1);
            out.append(lookup(resolver, section, option, token, where, seen));
            i = close + 1;
        }
    }

    private static String lookup(Resolver resolver, Section section, String option, String token,
                                 SourceLocation where, List<String> seen) {
        String inner = token.substring(2, token.length() - 1);
        String[] parts = inner.split(":", -1);
        if (parts.length < 2) {
            throw error(where, section, option, "The substitution, " + token + ",\ndoesn't contain a colon.");
        }
        if (parts.length > 2) {
            throw error(where, section, option, "The substitution, " + token + ",\nhas too many colons.");
        }
        if (!parts[0].isEmpty() && !simple(parts[0])) {
            throw error(where, section, option, "The section name in substitution, " + token + ",\nhas invalid characters.");
        }
        if (!simple(parts[1])) {
            throw error(where, section, option, "The option name in substitution, " + token + ",\nhas invalid characters.");
        }
        String targetName = parts[0].isEmpty() ? section.sectionName() : parts[0];
        Section target = resolver.section(targetName, section.sectionName(), option, where);
        String v = target.resolve(parts[1], seen);
        if (v == null) {
            if (parts[1].equals("_buildout_section_name_")) {
                return section.sectionName();
            }
            throw error(where, section, option, "Referenced option does not exist: " + targetName + " " + parts[1]);
        }
        return v;
    }

    /** {@code [-a-zA-Z0-9 ._]+} */
    private static boolean simple(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == ' ' || c == '.' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static BuildoutException error(SourceLocation where, Section section, String option, String message) {
        return BuildoutException.configuration(where, section.sectionName(), option, message);
    }
}
