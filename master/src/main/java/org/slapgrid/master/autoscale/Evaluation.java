package org.slapgrid.master.autoscale;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * One evaluation of one policy, without side effects: from the aggregate of the role's members
 * now, how long it has been beyond a threshold, the role's size and bounds and the last action,
 * what to do (add or remove members) or why nothing is done. The {@link Breach} it returns is
 * what the next evaluation starts from.
 */
final class Evaluation {
    private Evaluation() {
    }

    /** Since when the aggregate has been above the scale-out threshold / below the scale-in one (epoch ms; null: not). */
    record Breach(Long aboveSince, Long belowSince) {
        static final Breach NONE = new Breach(null, null);
    }

    enum Kind {
        /** Add members. */ SCALE_OUT,
        /** Remove members. */ SCALE_IN,
        /** Beyond a threshold, not yet for its duration. */ HELD,
        /** Would act, but the last action is too recent. */ COOLDOWN,
        /** Would add, but the role is at its maximum. */ AT_MAX,
        /** Would remove, but the role is at its minimum. */ AT_MIN,
        /** Would act, but the cluster runs another operation (set by the autoscaler, which knows). */ BUSY,
        /** No member has sent the metric lately. */ NO_DATA,
        /** Within the thresholds. */ WITHIN;

        boolean acts() {
            return this == SCALE_OUT || this == SCALE_IN;
        }
    }

    /** What to do, by how many members, why (a sentence and its numbers), and the breach state after. */
    record Decision(Kind kind, int count, String reason, Map<String, Object> details, Breach breach) {
    }

    static Decision evaluate(ScalingPolicy p, OptionalDouble aggregate, int members, int withData, int min, int max,
                             Long lastActionAt, Breach before, long now) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("role", p.role());
        d.put("metric", p.metric());
        d.put("aggregate", p.aggregate());
        d.put("members", members);
        if (aggregate.isEmpty()) {
            return new Decision(Kind.NO_DATA, 0, "no member of role '" + p.role() + "' sent '" + p.metric() + "' lately",
                    d, Breach.NONE);
        }
        double v = aggregate.getAsDouble();
        d.put("value", v);
        d.put("membersWithData", withData);
        String what = p.aggregate() + " " + p.metric() + " of role '" + p.role() + "' " + fmt(v);
        boolean above = p.scaleOutAbove() != null && v > p.scaleOutAbove();
        boolean below = p.scaleInBelow() != null && v < p.scaleInBelow();
        if (!above && !below) {
            return new Decision(Kind.WITHIN, 0, what + " is within the thresholds", d, Breach.NONE);
        }
        Breach breach = above ? new Breach(before.aboveSince() == null ? now : before.aboveSince(), null)
                : new Breach(null, before.belowSince() == null ? now : before.belowSince());
        long since = above ? breach.aboveSince() : breach.belowSince();
        int duration = above ? p.scaleOutFor() : p.scaleInFor();
        double threshold = above ? p.scaleOutAbove() : p.scaleInBelow();
        long heldMs = now - since;
        d.put("threshold", threshold);
        d.put("heldSeconds", heldMs / 1000.0);
        d.put("durationSeconds", duration);
        String why = what + (above ? " above " : " below ") + fmt(threshold) + " for " + fmt(heldMs / 1000.0) + " s";
        if (heldMs < duration * 1000L) {
            return new Decision(Kind.HELD, 0, why + ", not yet " + duration + " s", d, breach);
        }
        if (above && members >= max) {
            d.put("max", max);
            return new Decision(Kind.AT_MAX, 0, why + ", but the role is at its maximum of " + max, d, breach);
        }
        if (below && members <= min) {
            d.put("min", min);
            return new Decision(Kind.AT_MIN, 0, why + ", but the role is at its minimum of " + min, d, breach);
        }
        if (lastActionAt != null && now - lastActionAt < p.cooldown() * 1000L) {
            long ago = now - lastActionAt;
            d.put("cooldownSeconds", p.cooldown());
            d.put("lastActionSecondsAgo", ago / 1000.0);
            return new Decision(Kind.COOLDOWN, 0, why + ", but the last action was " + fmt(ago / 1000.0) + " s ago (cooldown "
                    + p.cooldown() + " s)", d, breach);
        }
        int n = above ? Math.min(p.step(), max - members) : Math.min(p.step(), members - min);
        d.put("from", members);
        d.put("to", above ? members + n : members - n);
        return new Decision(above ? Kind.SCALE_OUT : Kind.SCALE_IN, n, why + " (>= " + duration + " s): "
                + (above ? "adding " : "removing ") + n + " member" + (n == 1 ? "" : "s") + ", " + members + " -> "
                + (above ? members + n : members - n), d, breach);
    }

    /** The aggregate of the members' values ({@code avg} or {@code max}); empty when none has a value. */
    static OptionalDouble aggregate(String how, double[] values) {
        if (values.length == 0) {
            return OptionalDouble.empty();
        }
        double out = how.equals("max") ? Double.NEGATIVE_INFINITY : 0;
        for (double v : values) {
            out = how.equals("max") ? Math.max(out, v) : out + v;
        }
        return OptionalDouble.of(how.equals("max") ? out : out / values.length);
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
