package org.slapgrid.slap.model;

/**
 * A lifecycle hook notification (seed 003): the member chosen for removal ({@code cluster/role.n}),
 * the token that completes the hook, and the transition ({@code termination}). {@code deadline}
 * (epoch milliseconds) is when the removal proceeds without completion ({@code hook_timeout}).
 * Delivered in the member's own queue ({@code GET /api/v1/instance/lifecycle}), to its
 * {@code etc/lifecycle/termination} executable ({@code SLAPGRID_LIFECYCLE_TOKEN}) and to the
 * cluster's webhook.
 */
public record LifecycleNotification(
        @com.fasterxml.jackson.annotation.JsonProperty("lifecycle_action_token") String lifecycleActionToken,
        String cluster,
        String member,
        String transition,
        long deadline) {

    public static final String TERMINATION = "termination";
}
