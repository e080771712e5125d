package org.slapgrid.slap.model;

/**
 * A cluster role's autoscaling policy (docs/clusters.md "Autoscaling"): the master aggregates
 * {@code metric} over the role's members ({@code aggregate}: {@code avg} or {@code max} of each
 * member's last sample) and adds {@code step} members when the aggregate stays above
 * {@code scaleOutAbove} for {@code scaleOutFor} seconds, removes {@code step} when it stays below
 * {@code scaleInBelow} for {@code scaleInFor} seconds, never within {@code cooldown} seconds
 * of its last action, always within the role's min and max. Either threshold may be null (that
 * direction is off). In a request, null fields take their defaults: aggregate avg, 60 s, step
 * 1, cooldown 300 s, enabled.
 */
public record ScalingPolicy(String role, String metric, String aggregate, Double scaleOutAbove, Integer scaleOutFor,
                            Double scaleInBelow, Integer scaleInFor, Integer step, Integer cooldown, Boolean enabled) {
}
