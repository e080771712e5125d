package org.slapgrid.node.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.PartitionStatus.Hold;
import org.slapgrid.slap.tags.TagRule;

/**
 * Why a service is held, as its node reports it to the master (issue 15): the deciding rule's
 * expression of the master's or the node's stops, or the failover cluster of a standby.
 */
class ServiceHoldsTest {

    @Test
    void theHoldNamesTheDecidingExpressionOrTheCluster() {
        ServiceHolds h = new ServiceHolds(List.of(new TagRule("pod01", true), new TagRule("sm", false)),
                List.of(new TagRule("db+pod02", true)), false, null);
        assertThat(h.hold(Set.of("db", "pod01"))).isEqualTo(new Hold(Hold.TAG, "pod01"));
        assertThat(h.hold(Set.of("sm", "pod01"))).as("started again by the later start of sm").isNull();
        assertThat(h.hold(Set.of("db", "pod02"))).isEqualTo(new Hold(Hold.NODE, "db+pod02"));
        assertThat(h.hold(Set.of())).isNull();
        assertThat(h.hold(Set.of("db", "pod02")).label()).isEqualTo("stopped by tag expression 'db+pod02' on the node");

        ClusterMembership standby = new ClusterMembership("fo", ClusterTopology.FAILOVER, "db", 1, "db.0", List.of());
        ServiceHolds s = new ServiceHolds(List.of(), List.of(), ServiceHolds.standby(standby), standby.cluster());
        assertThat(s.hold(Set.of("web"))).isEqualTo(new Hold(Hold.STANDBY, "fo"));
        assertThat(s.hold(Set.of("web")).label()).isEqualTo("failover standby of cluster 'fo'");
        assertThat(s.hold(Set.of(ServiceHolds.STANDBY_TAG))).as("runs on standbys too").isNull();
        assertThat(s.reason(Set.of("web"))).isEqualTo("standby");
    }
}
