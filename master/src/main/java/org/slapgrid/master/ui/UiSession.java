package org.slapgrid.master.ui;

import org.slapgrid.master.auth.Principal;

/**
 * A logged-in user's session: who it is and the CSRF token every state-changing request must
 * carry (derived from the session cookie, which a cross-site page can neither read nor send,
 * since the cookie is SameSite=Strict and HttpOnly).
 */
public record UiSession(Principal user, String csrf) {
}
