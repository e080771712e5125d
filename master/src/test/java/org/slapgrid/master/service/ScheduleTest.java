package org.slapgrid.master.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void eachDutyRunsAtItsOwnRateAndAFailingRunDoesNotStopIt() {
        AtomicInteger fast = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        AtomicInteger failing = new AtomicInteger();
        try (Schedule s = new Schedule()) {
            s.every("fast", Duration.ofMillis(20), fast::incrementAndGet);
            s.every("slow", Duration.ofHours(1), slow::incrementAndGet);
            s.every("failing", Duration.ofMillis(20), () -> {
                failing.incrementAndGet();
                throw new IllegalStateException("broken on purpose");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> fast.get() >= 5 && failing.get() >= 5);
            assertThat(slow.get()).as("an hourly duty did not run yet").isZero();
        }
    }

    @Test
    void nowAndEveryRunsAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        try (Schedule s = new Schedule()) {
            s.nowAndEvery("retention", Duration.ofHours(1), runs::incrementAndGet);
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
        }
    }

    @Test
    void aWakeRunsSoonAndNeverBesideARunOfTheSameDuty() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Schedule s = new Schedule()) {
            Schedule.Duty d = s.every("hooked", Duration.ofHours(1), () -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                runs.incrementAndGet();
                first.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
            });
            d.wake();
            assertThat(first.await(10, TimeUnit.SECONDS)).as("woken long before its hour").isTrue();
            d.wake(); // during the run: runs once more after it, not beside it
            d.wake();
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 2);
            assertThat(most.get()).as("runs at once").isEqualTo(1);
        }
    }

    @Test
    void closeStopsEveryDutyAndAWakeAfterIsIgnored() {
        AtomicInteger runs = new AtomicInteger();
        Schedule s = new Schedule();
        Schedule.Duty d = s.every("tick", Duration.ofMillis(10), runs::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 2);
        s.close();
        int after = runs.get();
        d.wake();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> runs.get() == after);
    }
}
