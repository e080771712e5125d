package org.slapgrid.slap.model;

/**
 * A one-time login link to the master's web UI ({@code POST /api/v1/login-links}): it opens one
 * session for the user who asked, once, until {@code expiresAt} (epoch ms). The token rides in
 * the URL's fragment ({@code /ui/login#once=...}), which a browser never sends to a server: it
 * reaches no access log and no Referer; the page posts it. The master answers a path; the
 * client resolves it against the master's URL.
 */
public record LoginLink(String url, long expiresAt) {
    @Override
    public String toString() {
        return "LoginLink[url=***, expiresAt=" + expiresAt + "]";
    }
}
