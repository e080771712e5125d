package org.slapgrid.slap.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** OpenSVC's {@code --tags} syntax, and the stops and starts by tag an instance keeps. */
class TagExpressionTest {

    /** The resources of one pod of seed 002's service, with their tags. */
    private static final Map<String, Set<String>> SEED_002 = Map.of(
            "container#01sm", Set.of("sm", "sm.container", "sm.container.pod01", "pod01"),
            "container#01db", Set.of("db", "db.container", "db.container.pod01", "pod01"),
            "container#02sm", Set.of("sm", "sm.container", "sm.container.pod02", "pod02"),
            "container#02db", Set.of("db", "db.container", "db.container.pod02", "pod02"),
            "disk#00", Set.of());

    private static Set<String> selected(String expression) {
        TagExpression e = TagExpression.parse(expression);
        Set<String> out = new TreeSet<>();
        SEED_002.forEach((name, tags) -> {
            if (e.matches(tags)) {
                out.add(name);
            }
        });
        return out;
    }

    @Test
    void commaIsOrPlusIsAndAndBindsTighter() {
        assertThat(selected("pod01")).containsExactly("container#01db", "container#01sm");
        assertThat(selected("sm")).containsExactly("container#01sm", "container#02sm");
        assertThat(selected("sm+pod02,db")).containsExactly("container#01db", "container#02db", "container#02sm");
        assertThat(selected("sm+pod02")).containsExactly("container#02sm");
        assertThat(selected("pod01,pod02")).hasSize(4);
        assertThat(selected("sm+db")).isEmpty();
        assertThat(selected("sm.container.pod01")).containsExactly("container#01sm");
    }

    @Test
    void anUntaggedServiceIsNeverSelected() {
        assertThat(TagExpression.parse("sm").matches(Set.of())).isFalse();
    }

    @Test
    void spacesAreIgnoredAndTheTextIsCanonical() {
        assertThat(TagExpression.parse(" sm + pod02 , db ").toString()).isEqualTo("sm+pod02,db");
        assertThat(new TagRule("sm + pod02,db", true).tags()).isEqualTo("sm+pod02,db");
    }

    @Test
    void badExpressionsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> TagExpression.parse("a,,b")).hasMessageContaining("empty tag");
        assertThatThrownBy(() -> TagExpression.parse("a+")).hasMessageContaining("empty tag");
        assertThatThrownBy(() -> TagExpression.parse("")).hasMessageContaining("required");
        assertThatThrownBy(() -> TagExpression.parse("pod 16")).hasMessageContaining("'pod 16' is not a tag");
        assertThatThrownBy(() -> TagExpression.parse("-x")).hasMessageContaining("'-x' is not a tag");
        assertThatThrownBy(() -> TagExpression.parse("x".repeat(2000))).hasMessageContaining("at most");
        // where: the position of the bad tag in the expression (1 is its first character, spaces counted)
        assertThatThrownBy(() -> TagExpression.parse("a,,b")).hasMessageContaining("in 'a,,b' at position 3");
        assertThatThrownBy(() -> TagExpression.parse("sm+pod01, db+p$d")).hasMessageContaining("at position 14: 'p$d' is not a tag");
        assertThatThrownBy(() -> TagExpression.parse("sm+ -x")).hasMessageContaining("at position 5: '-x' is not a tag");
    }

    @Test
    void theLastRuleThatSelectsAServiceDecides() {
        List<TagRule> rules = TagRules.with(List.of(), new TagRule("pod01", true));
        assertThat(TagRules.stopped(rules, SEED_002.get("container#01sm"))).isTrue();
        assertThat(TagRules.stopped(rules, SEED_002.get("container#01db"))).isTrue();
        assertThat(TagRules.stopped(rules, SEED_002.get("container#02sm"))).isFalse();

        rules = TagRules.with(rules, new TagRule("sm", false));
        assertThat(TagRules.stopped(rules, SEED_002.get("container#01sm"))).as("started again by sm").isFalse();
        assertThat(TagRules.stopped(rules, SEED_002.get("container#01db"))).isTrue();

        rules = TagRules.with(rules, new TagRule("pod01", false));
        assertThat(rules).as("the start of pod01 replaces its stop; a leading start is dropped").isEmpty();
        assertThat(TagRules.stopped(rules, SEED_002.get("container#01db"))).isFalse();
    }

    @Test
    void anInstanceKeepsABoundedNumberOfRules() {
        List<TagRule> rules = List.of();
        for (int i = 0; i < TagRules.MAX_RULES; i++) {
            rules = TagRules.with(rules, new TagRule("pod" + i, true));
        }
        List<TagRule> full = rules;
        assertThatThrownBy(() -> TagRules.with(full, new TagRule("another", true))).hasMessageContaining("at most");
        assertThat(TagRules.with(full, new TagRule("pod3", true))).as("the same stop again is no new rule").hasSize(TagRules.MAX_RULES);
    }
}
