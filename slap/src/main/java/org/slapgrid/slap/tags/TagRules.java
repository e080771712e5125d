package org.slapgrid.slap.tags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An instance's stops and starts by tag, in the order they were asked for: a service is stopped
 * on purpose when the last rule whose expression selects it is a stop. So {@code stop pod01}
 * then {@code start sm} leaves {@code db+pod01} stopped and starts {@code sm+pod01} again, as
 * the same two OpenSVC commands would. A service no rule selects follows its instance's state.
 */
public final class TagRules {

    /** Most rules an instance keeps (a bound, as every input of the master has one). */
    public static final int MAX_RULES = 32;

    private TagRules() {
    }

    /** Whether a service tagged {@code tags} is stopped on purpose under {@code rules}. */
    public static boolean stopped(List<TagRule> rules, Collection<String> tags) {
        return stoppedBy(rules, tags) != null;
    }

    /** The stop that holds a service tagged {@code tags} (the last rule selecting it), null when none does. */
    public static TagRule stoppedBy(List<TagRule> rules, Collection<String> tags) {
        if (rules == null || tags.isEmpty()) {
            return null;
        }
        TagRule last = null;
        for (TagRule r : rules) {
            if (r.expression().matches(tags)) {
                last = r;
            }
        }
        return last != null && last.stopped() ? last : null;
    }

    /**
     * {@code rules} with {@code added} as the latest: an earlier rule of the same expression is
     * replaced, and leading starts are dropped (nothing before them stopped anything, so they
     * change nothing). Refused past {@link #MAX_RULES}.
     */
    public static List<TagRule> with(List<TagRule> rules, TagRule added) {
        List<TagRule> out = new ArrayList<>(rules == null ? List.of() : rules);
        out.removeIf(r -> r.tags().equals(added.tags()));
        out.add(added);
        while (!out.isEmpty() && !out.get(0).stopped()) {
            out.remove(0);
        }
        if (out.size() > MAX_RULES) {
            throw new IllegalArgumentException("tags: an instance keeps at most " + MAX_RULES
                    + " stops and starts by tag; start some services again, or start all with the expression of each stop");
        }
        return List.copyOf(out);
    }
}
