package org.slapgrid.slap.model;

import java.util.Map;

/** What an instance publishes back to its requester (URLs, credentials). */
public record ConnectionParameters(Map<String, Object> parameters) {
}
