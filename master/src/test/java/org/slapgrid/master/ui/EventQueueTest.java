package org.slapgrid.master.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A slow browser's queue stays bounded and never blocks the feed: overflow drops the backlog for one resync. */
class EventQueueTest {

    @Test
    void anOverflowReplacesTheBacklogWithOneResync() throws Exception {
        EventQueue q = new EventQueue(8);
        long t = System.nanoTime();
        for (int k = 0; k < 1000; k++) {
            q.offer(new LiveFeed.Event("activity", "line " + k)); // nobody reads: the browser is stalled
        }
        assertThat((System.nanoTime() - t) / 1e6).as("the producer never waited").isLessThan(1000);
        assertThat(q.size()).isLessThanOrEqualTo(8);
        assertThat(q.drops()).isPositive();
        List<LiveFeed.Event> left = new ArrayList<>();
        for (LiveFeed.Event e = q.poll(0); e != null; e = q.poll(0)) {
            left.add(e);
        }
        assertThat(left.get(0)).as("the page is told to re-read what it shows").isEqualTo(EventQueue.RESYNC);
        assertThat(left.get(left.size() - 1).data()).isEqualTo("line 999");
    }

    @Test
    void aBrowserThatKeepsUpLosesNothing() throws Exception {
        EventQueue q = new EventQueue(8);
        for (int k = 0; k < 100; k++) {
            q.offer(new LiveFeed.Event("change", "e" + k));
            assertThat(q.poll(0).data()).isEqualTo("e" + k);
        }
        assertThat(q.drops()).isZero();
    }
}
