package org.slapgrid.slap.tags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A selection of tagged services in OpenSVC's {@code --tags} syntax: {@code ,} is "or", {@code +}
 * is "and", and "and" binds tighter, so {@code sm+pod02,db} selects what is tagged both
 * {@code sm} and {@code pod02}, and everything tagged {@code db}. A service without tags is never
 * selected. There are no parentheses and no negation, as in OpenSVC. Hand-written: the grammar
 * is two separators, not worth a parser library.
 *
 * @param anyOf the alternatives, each a set of tags that must all be present
 */
public record TagExpression(List<Set<String>> anyOf) {

    /** A tag: what seed 002 uses ({@code sm}, {@code pod16}, {@code sm.container.pod01}). */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}");
    /** Bounds of an expression, as every input has one. */
    public static final int MAX_LENGTH = 1024;

    public TagExpression {
        anyOf = anyOf.stream().map(s -> (Set<String>) java.util.Collections.unmodifiableSet(new LinkedHashSet<>(s))).toList();
    }

    /**
     * Parses {@code sm+pod16,db}. Spaces around tags are ignored; an empty alternative or tag
     * ({@code a,,b}, {@code a+}) or a character a tag cannot hold is an error naming it.
     */
    public static TagExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("tags: an expression is required (e.g. sm+pod16,db)");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("tags: at most " + MAX_LENGTH + " characters (got " + text.length() + ")");
        }
        List<Set<String>> alternatives = new ArrayList<>();
        int at = 0; // where each tag starts in text: a bad one is named with its position (1 is the first character)
        for (String alternative : text.split(",", -1)) {
            Set<String> all = new LinkedHashSet<>();
            for (String tag : alternative.split("\\+", -1)) {
                int lead = tag.length() - tag.stripLeading().length();
                try {
                    all.add(checkTag(tag.strip(), text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tags: in '" + printable(text) + "' at position " + (at + lead + 1) + ": "
                            + e.getMessage().substring("tags: ".length()), e);
                }
                at += tag.length() + 1;
            }
            alternatives.add(all);
        }
        return new TagExpression(alternatives);
    }

    /** A tag name, or an error saying what is wrong with it in {@code context}. */
    public static String checkTag(String tag, String context) {
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("tags: '" + printable(context) + "' has an empty tag"
                    + " (',' separates alternatives, '+' tags that must all be present)");
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tags: '" + printable(tag) + "' is not a tag (1-64 letters, digits,"
                    + " '_', '.', ':' or '-', not starting with '.', ':' or '-')");
        }
        return tag;
    }

    /** Whether a service with these tags is selected. */
    public boolean matches(Collection<String> tags) {
        for (Set<String> all : anyOf) {
            if (tags.containsAll(all)) {
                return true;
            }
        }
        return false;
    }

    /** The expression in its canonical text ({@code sm+pod02,db}): what is stored and shown. */
    @Override
    public String toString() {
        return anyOf.stream().map(s -> String.join("+", s)).collect(Collectors.joining(","));
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
