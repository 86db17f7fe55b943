package dev.nnc.runtime;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Spinning helper threads: every hand-off runs on every helper, and the caller waits for all. */
class SpinningCrewTest {

    @Test
    void everyHandOffRunsOnEveryThreadAndWaitsForAll() {
        try (SpinningCrew crew = new SpinningCrew(2, "test")) {
            for (int round = 0; round < 2_000; round++) {
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                AtomicInteger done = new AtomicInteger();
                crew.runEverywhere(() -> {
                    ran.add(Thread.currentThread());
                    done.incrementAndGet();
                });
                assertEquals(3, done.get(), "round " + round);
                assertEquals(3, ran.size(), "round " + round);
                assertTrue(ran.contains(Thread.currentThread()));
            }
        }
    }

    @Test
    void eachThreadGetsItsOwnIndexAndKeepsIt() throws InterruptedException {
        try (SpinningCrew crew = new SpinningCrew(3, "test")) {
            Thread[] byIndex = new Thread[4];
            for (int round = 0; round < 2_000; round++) {
                Thread[] ran = new Thread[4];
                crew.runOnEach(i -> ran[i] = Thread.currentThread()); // finishing publishes the helpers' writes
                assertSame(Thread.currentThread(), ran[0], "round " + round);
                assertEquals(4, Set.of(ran).size(), "round " + round);
                if (round == 0) byIndex = ran;
                assertArrayEquals(byIndex, ran, "round " + round);
                if (round % 500 == 0) Thread.sleep(2); // and after the helpers parked
            }
        }
    }

    @Test
    void helpersThatParkedWakeForTheNextHandOff() throws InterruptedException {
        try (SpinningCrew crew = new SpinningCrew(1, "test")) {
            for (int round = 0; round < 20; round++) {
                Thread.sleep(2); // longer than the helpers spin: they park
                AtomicInteger done = new AtomicInteger();
                crew.runEverywhere(done::incrementAndGet);
                assertEquals(2, done.get(), "round " + round);
            }
        }
    }

    @Test
    void aHelpersExceptionReachesTheCaller() {
        try (SpinningCrew crew = new SpinningCrew(1, "test")) {
            Thread caller = Thread.currentThread();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> crew.runEverywhere(() -> {
                if (Thread.currentThread() != caller) throw new IllegalArgumentException("from the helper");
            }));
            assertEquals("from the helper", e.getMessage());
            AtomicInteger done = new AtomicInteger();
            crew.runEverywhere(done::incrementAndGet); // and the crew still works
            assertEquals(2, done.get());
        }
    }

    @Test
    void theCallerWorksOnSomethingElseBetweenStartAndAwait() {
        try (SpinningCrew crew = new SpinningCrew(1, "test")) {
            for (int round = 0; round < 2_000; round++) {
                int[] halves = new int[2];
                int r = round;
                crew.start(() -> halves[1] = r + 1);
                halves[0] = r;
                crew.await();
                assertArrayEquals(new int[] {round, round + 1}, halves, "round " + round); // await publishes the helper's writes
            }
        }
    }

    @Test
    void awaitRethrowsAHelpersException() {
        try (SpinningCrew crew = new SpinningCrew(1, "test")) {
            crew.start(() -> {
                throw new IllegalStateException("from the helper");
            });
            assertEquals("from the helper", assertThrows(IllegalStateException.class, crew::await).getMessage());
        }
    }
}
