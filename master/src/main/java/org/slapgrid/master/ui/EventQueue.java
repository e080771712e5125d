package org.slapgrid.master.ui;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One browser's pending live events, bounded: when the browser reads slower than events come,
 * the queue is full; then everything queued is dropped and replaced by one {@code resync} event,
 * which makes the page re-read its live regions. The producer (the feed's tailer) never waits.
 */
final class EventQueue {
    static final LiveFeed.Event RESYNC = new LiveFeed.Event("change", "resync");

    private final BlockingQueue<LiveFeed.Event> queue;
    private long drops;

    EventQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Adds {@code e}; on overflow drops the backlog for a resync. Never blocks. */
    synchronized void offer(LiveFeed.Event e) {
        if (!queue.offer(e)) {
            drops++;
            queue.clear();
            queue.offer(RESYNC);
            queue.offer(e);
        }
    }

    /** The next event, waiting at most {@code seconds}; null when none came. */
    LiveFeed.Event poll(long seconds) throws InterruptedException {
        return queue.poll(seconds, TimeUnit.SECONDS);
    }

    synchronized long drops() {
        return drops;
    }

    int size() {
        return queue.size();
    }
}
