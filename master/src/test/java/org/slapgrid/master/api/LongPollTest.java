package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The long-poll waiter on its own: woken by the notifier, by the re-check, and leaving nothing behind. */
class LongPollTest {
    final ChangeNotifier notifier = new ChangeNotifier();
    final ExecutorService executor = Executors.newFixedThreadPool(2);
    final AtomicLong version = new AtomicLong(1);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void theNotifierWakesTheWaiterOfThatNode() {
        LongPoll poll = new LongPoll(notifier, Duration.ofSeconds(30), executor);
        CompletableFuture<Long> f = poll.await("n1", 1, Duration.ofSeconds(30), () -> OptionalLong.of(version.get()));
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.waiters() == 1);
        notifier.changed(Set.of("n2"));
        assertThat(notifier.waiters()).as("another node's change leaves n1's waiter in place").isEqualTo(1);
        version.set(2);
        notifier.changed(Set.of("n1"));
        await().atMost(Duration.ofSeconds(30)).until(f::isDone);
        assertThat(f.join()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.waiters() == 0);
    }

    @Test
    void theRecheckFindsAChangeNobodyAnnouncedAndIdlePollsLeaveNoWaiters() {
        LongPoll poll = new LongPoll(notifier, Duration.ofMillis(10), executor);
        CompletableFuture<Long> idle = poll.await("n1", 1, Duration.ofMillis(300), () -> OptionalLong.of(version.get()));
        await().atMost(Duration.ofSeconds(10)).until(idle::isDone);
        assertThat(idle.join()).isEqualTo(1);
        assertThat(notifier.waiters()).isZero();

        CompletableFuture<Long> f = poll.await("n1", 1, Duration.ofSeconds(30), () -> OptionalLong.of(version.get()));
        version.set(5); // as if another master had changed it: no notification here
        await().atMost(Duration.ofSeconds(10)).until(f::isDone);
        assertThat(f.join()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.waiters() == 0);
    }
}
