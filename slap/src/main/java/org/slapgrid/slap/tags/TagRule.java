package org.slapgrid.slap.tags;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One stop or start of an instance's services by tag, as the master keeps it (desired state):
 * {@code tags} an expression in OpenSVC's syntax ({@link TagExpression}), {@code stopped} whether
 * the services it selects are to be stopped (true) or started again (false).
 */
public record TagRule(String tags, boolean stopped) {

    public TagRule {
        tags = TagExpression.parse(tags).toString();
    }

    @JsonIgnore
    public TagExpression expression() {
        return TagExpression.parse(tags);
    }
}
