package org.slapgrid.slap.model;

/**
 * A cluster's deletion policy (seed 003, after OpenStack Senlin's): which members a scale-in
 * removes first ({@code criteria}; members in error always come first), how long a leaving
 * member may take to complete its lifecycle hook ({@code hookTimeout}, seconds; then the removal
 * proceeds anyway), and a webhook also notified of each lifecycle hook ({@code webhookUrl}, null
 * for none). {@code webhookSecret} is the key of the webhook's HMAC-SHA256 signature: shown only
 * in the answer that sets a webhook.
 */
public record DeletionPolicy(Criteria criteria, Integer hookTimeout, String webhookUrl, String webhookSecret) {

    public enum Criteria { OLDEST_FIRST, YOUNGEST_FIRST, RANDOM }

    public static final int DEFAULT_HOOK_TIMEOUT = 60;
    public static final int MAX_HOOK_TIMEOUT = 86_400;

    /** The same policy without its secret (as listings show it). */
    public DeletionPolicy withoutSecret() {
        return new DeletionPolicy(criteria, hookTimeout, webhookUrl, null);
    }
}
