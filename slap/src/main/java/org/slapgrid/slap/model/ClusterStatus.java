package org.slapgrid.slap.model;

import java.util.List;

/**
 * A cluster's status tree ({@code slapos cluster status}), aggregated as OpenSVC's
 * {@code print status} does (seed 002): each level has {@code overall}, {@code avail} (its
 * services) and {@code accessory} (its promises); values {@code up}, {@code down}, {@code warn},
 * {@code n/a}, {@code undef}. From what the nodes last reported.
 */
public record ClusterStatus(String cluster, String topology, String overall, String avail, String accessory,
                            List<String> notes, List<Member> members) {

    /** One member: its node, when its node last reported, and its services and promises. */
    public record Member(String name, String role, String node, String overall, String avail, String accessory,
                         Long reportedAt, List<Item> services, List<Item> promises) {
    }

    /** One service or promise: its status and what it is (supervisord's state, a promise's output). */
    public record Item(String name, String status, String detail) {
    }
}
