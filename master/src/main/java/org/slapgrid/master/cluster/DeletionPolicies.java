package org.slapgrid.master.cluster;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.DeletionPolicy;
import org.slapgrid.slap.model.InstanceState;

/**
 * The one owner of a cluster's deletion policy (V7's cluster columns): reading, setting (with its
 * checks) and choosing the members a scale-in removes, Senlin's way: members in error first,
 * then by {@code criteria} (OLDEST_FIRST, YOUNGEST_FIRST, RANDOM).
 */
final class DeletionPolicies {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeletionPolicies() {
    }

    static DeletionPolicy of(Connection c, String clusterId) throws SQLException {
        return Sql.one(c, "SELECT deletion_criteria, hook_timeout, webhook_url, webhook_secret FROM cluster WHERE id = ?",
                rs -> new DeletionPolicy(DeletionPolicy.Criteria.valueOf(rs.getString("deletion_criteria")),
                        rs.getInt("hook_timeout"), rs.getString("webhook_url"), rs.getString("webhook_secret")), clusterId).orElseThrow();
    }

    /**
     * Sets the fields given (a null keeps the current one; an empty webhook URL removes it). A new
     * webhook gets a new secret, returned once in the answer.
     */
    static DeletionPolicy set(Connection c, String clusterId, DeletionPolicy wish) throws SQLException {
        DeletionPolicy now = of(c, clusterId);
        DeletionPolicy.Criteria criteria = wish.criteria() == null ? now.criteria() : wish.criteria();
        int timeout = wish.hookTimeout() == null ? now.hookTimeout() : wish.hookTimeout();
        if (timeout < 0 || timeout > DeletionPolicy.MAX_HOOK_TIMEOUT) {
            throw ApiException.badRequest("hookTimeout must be 0-" + DeletionPolicy.MAX_HOOK_TIMEOUT + " seconds (got " + timeout + ")");
        }
        String url = wish.webhookUrl() == null ? now.webhookUrl() : wish.webhookUrl().isBlank() ? null : webhook(wish.webhookUrl());
        String secret = url == null ? null : url.equals(now.webhookUrl()) && now.webhookSecret() != null ? now.webhookSecret()
                : HexFormat.of().formatHex(bytes(32));
        Sql.update(c, "UPDATE cluster SET deletion_criteria = ?, hook_timeout = ?, webhook_url = ?, webhook_secret = ? WHERE id = ?",
                criteria.name(), timeout, url, secret, clusterId);
        boolean newSecret = secret != null && !secret.equals(now.webhookSecret());
        return new DeletionPolicy(criteria, timeout, url, newSecret ? secret : null);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A webhook URL's form (where it may go is checked at each send, {@link WebhookGuard}): 422 naming the field and rule. */
    static String webhook(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw invalidWebhook("is not a URL (" + e.getReason() + ")", url);
        }
        if (!("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))) {
            throw invalidWebhook("must be an http:// or https:// URL (rule: scheme" + (u.getScheme() == null ? "" : ", not "
                    + u.getScheme()) + ")", url);
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw invalidWebhook("must name a host (rule: host)", url);
        }
        if (u.getRawUserInfo() != null) {
            throw invalidWebhook("must not carry user info (rule: no user info; sign with the webhook secret instead)", url);
        }
        if (url.length() > 2048) {
            throw invalidWebhook("is longer than 2048 characters (rule: length)", url.substring(0, 64) + "...");
        }
        if (u.getRawFragment() != null) {
            throw invalidWebhook("must not have a #fragment (rule: fragment)", url);
        }
        return url;
    }

    private static ApiException invalidWebhook(String rule, String url) {
        return new ApiException(422, "invalid_webhook", "webhookUrl " + rule + " (got '" + url + "')");
    }

    /**
     * The {@code count} members of {@code role} to remove: in error first (their state is
     * {@code error}, or they have no partition), then by the policy's criteria (members' index
     * order is their creation order, so it breaks ties of creation time).
     */
    static List<ClusterRows.Member> choose(List<ClusterRows.Member> members, Map<String, Long> createdAt,
                                           DeletionPolicy.Criteria criteria, String role, int count, Random random) {
        List<ClusterRows.Member> candidates = new ArrayList<>(members.stream()
                .filter(m -> !m.leaving() && m.role().equals(role)).toList());
        Comparator<ClusterRows.Member> age = Comparator.<ClusterRows.Member>comparingLong(
                m -> createdAt.getOrDefault(m.shortName(), 0L)).thenComparingInt(ClusterRows.Member::index);
        switch (criteria) {
            case OLDEST_FIRST -> candidates.sort(age);
            case YOUNGEST_FIRST -> candidates.sort(age.reversed());
            case RANDOM -> Collections.shuffle(candidates, random);
        }
        // stable: within the in-error and the healthy, the criteria's order holds
        candidates.sort(Comparator.comparingInt(m -> inError(m) ? 0 : 1));
        return List.copyOf(candidates.subList(0, Math.min(count, candidates.size())));
    }

    static Random random() {
        return RANDOM;
    }

    static boolean inError(ClusterRows.Member m) {
        return m.partition() == null || InstanceState.ERROR.json().equals(m.reportedState());
    }
}
