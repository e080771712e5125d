package org.slapgrid.master.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.slapgrid.slap.model.ScalingPolicy;

/** The decision rules: held for the duration, cooldown, bounds, step. */
class EvaluationTest {
    static final ScalingPolicy P = new ScalingPolicy("web", "load", "avg", 5.0, 10, 1.0, 20, 2, 60, true);
    static final long NOW = 1_700_000_000_000L;

    static Evaluation.Decision eval(double v, int members, Long lastAction, Evaluation.Breach b, long now) {
        return Evaluation.evaluate(P, OptionalDouble.of(v), members, members, 1, 5, lastAction, b, now);
    }

    @Test
    void aboveTheThresholdIsHeldUntilItsDurationThenScalesOutByTheStepWithinMax() {
        Evaluation.Decision first = eval(7, 2, null, Evaluation.Breach.NONE, NOW);
        assertThat(first.kind()).isEqualTo(Evaluation.Kind.HELD);
        assertThat(first.breach().aboveSince()).isEqualTo(NOW);
        assertThat(first.reason()).isEqualTo("avg load of role 'web' 7 above 5 for 0 s, not yet 10 s");
        Evaluation.Decision later = eval(8, 2, null, first.breach(), NOW + 9_999);
        assertThat(later.kind()).isEqualTo(Evaluation.Kind.HELD);
        Evaluation.Decision due = eval(8, 2, null, later.breach(), NOW + 10_000);
        assertThat(due.kind()).isEqualTo(Evaluation.Kind.SCALE_OUT);
        assertThat(due.count()).isEqualTo(2);
        assertThat(due.reason()).isEqualTo("avg load of role 'web' 8 above 5 for 10 s (>= 10 s): adding 2 members, 2 -> 4");
        assertThat(due.details()).containsEntry("value", 8.0).containsEntry("threshold", 5.0)
                .containsEntry("heldSeconds", 10.0).containsEntry("durationSeconds", 10);
        assertThat(eval(8, 4, null, later.breach(), NOW + 10_000).count()).as("one short of max").isEqualTo(1);
        assertThat(eval(8, 5, null, later.breach(), NOW + 10_000).kind()).isEqualTo(Evaluation.Kind.AT_MAX);
    }

    @Test
    void aDipBackWithinTheThresholdsStartsTheDurationAgain() {
        Evaluation.Decision held = eval(7, 2, null, Evaluation.Breach.NONE, NOW);
        Evaluation.Decision within = eval(3, 2, null, held.breach(), NOW + 5_000);
        assertThat(within.kind()).isEqualTo(Evaluation.Kind.WITHIN);
        assertThat(eval(7, 2, null, within.breach(), NOW + 12_000).kind()).isEqualTo(Evaluation.Kind.HELD);
    }

    @Test
    void noActionInsideTheCooldownInEitherDirection() {
        Evaluation.Breach below = new Evaluation.Breach(null, NOW - 30_000);
        Evaluation.Decision cool = eval(0.5, 3, NOW - 59_000, below, NOW);
        assertThat(cool.kind()).isEqualTo(Evaluation.Kind.COOLDOWN);
        assertThat(cool.reason()).contains("last action was 59 s ago (cooldown 60 s)");
        Evaluation.Decision in = eval(0.5, 3, NOW - 60_000, below, NOW);
        assertThat(in.kind()).isEqualTo(Evaluation.Kind.SCALE_IN);
        assertThat(in.count()).isEqualTo(2);
        assertThat(eval(0.5, 2, NOW - 60_000, below, NOW).count()).as("down to min only").isEqualTo(1);
        assertThat(eval(0.5, 1, NOW - 60_000, below, NOW).kind()).isEqualTo(Evaluation.Kind.AT_MIN);
    }

    @Test
    void aggregatesAndNoData() {
        assertThat(Evaluation.aggregate("avg", new double[] {1, 2, 6}).getAsDouble()).isEqualTo(3.0);
        assertThat(Evaluation.aggregate("max", new double[] {1, 2, 6}).getAsDouble()).isEqualTo(6.0);
        assertThat(Evaluation.evaluate(P, OptionalDouble.empty(), 2, 0, 1, 5, null, Evaluation.Breach.NONE, NOW).kind())
                .isEqualTo(Evaluation.Kind.NO_DATA);
    }
}
