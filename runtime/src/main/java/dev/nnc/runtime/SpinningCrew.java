package dev.nnc.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Helper threads for work handed off in pieces of microseconds: a training step's
 * parts and update slices, half of one sample's kernel. Through a thread pool each
 * hand-off wakes a parked thread, which costs more than such a piece saves (the
 * Fashion-MNIST MLP's epoch on two threads: 0.96-1.06 s so, 0.84 s with spinning
 * helpers). These helpers spin between hand-offs instead, as ONNX Runtime's threads do,
 * and park only after {@link #SPIN_NANOS} without one, so that an idle program does not
 * keep a core busy. A hand-off then costs what the cores take to exchange a few cache
 * lines: timed around one sample's split product (2026-11-27, a slow hour), a helper
 * began 0.4-0.9 us after the hand-off, and its end was seen 0.4-1.7 us after it.
 *
 * <p>One thread hands off at a time: {@link #start} gives every helper the same task,
 * {@link #await} waits for all of them; {@link #runEverywhere} also runs it on the
 * calling thread in between, and {@link #runOnEach} gives each thread its own index. A
 * task is published by the volatile hand-off, so it may be a mutable object the caller
 * reuses (nothing need be allocated per hand-off).
 */
public final class SpinningCrew implements AutoCloseable {
    /** How long a helper spins for the next task before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private final Thread[] threads;
    /** Counts hand-offs; a helper runs the task once for each new value it sees. */
    private volatile long round;
    private volatile Runnable task;
    /** The task of {@link #runOnEach}, when the hand-off is one: helper i runs it with i + 1. */
    private volatile IntConsumer indexedTask;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final AtomicInteger finished = new AtomicInteger();
    /** Per helper, 1 when it parked or is about to: a hand-off then unparks it. */
    private final AtomicIntegerArray parked;

    /** Starts {@code helpers} daemon threads named {@code name}. */
    public SpinningCrew(int helpers, String name) {
        this.threads = new Thread[helpers];
        this.parked = new AtomicIntegerArray(helpers);
        for (int i = 0; i < helpers; i++) {
            int id = i;
            threads[i] = new Thread(() -> serve(id), name);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Runs {@code task} on every helper and on this thread at once, and returns when all have finished. */
    public void runEverywhere(Runnable task) {
        run(task, null);
    }

    /**
     * Runs {@code task.accept(0)} on this thread and {@code task.accept(i + 1)} on helper
     * i, at once, and returns when all have finished. A helper's index is always the
     * same, so work a caller deals out by index runs on the same core step after step,
     * and the data it writes stays in that core's caches (a training step's parts and
     * update slices: see the trainer's StepRunner).
     */
    public void runOnEach(IntConsumer task) {
        run(null, task);
    }

    /** Hands off one of the two tasks, runs it here too, waits for the helpers; rethrows the first exception. */
    private void run(Runnable plain, IntConsumer indexed) {
        indexedTask = indexed;
        start(plain);
        Throwable mine = null;
        try {
            if (plain != null) plain.run();
            else indexed.accept(0);
        } catch (Throwable e) {
            mine = e;
        }
        Throwable theirs = finish();
        rethrow(mine != null ? mine : theirs);
    }

    /** Hands {@code task} to every helper; the caller goes on with its own work, then calls {@link #await}. */
    public void start(Runnable task) {
        finished.set(0);
        this.task = task;
        round++; // only the handing thread writes it; the volatile write publishes the task (or the indexed one)
        for (int i = 0; i < threads.length; i++) {
            if (parked.get(i) == 1) LockSupport.unpark(threads[i]);
        }
    }

    /** Waits (spinning: the pieces take microseconds) until every helper has run the task; rethrows a helper's exception. */
    public void await() {
        rethrow(finish());
    }

    private Throwable finish() {
        while (finished.get() < threads.length) Thread.onSpinWait();
        task = null; // not the crew's to keep
        indexedTask = null;
        Throwable f = failure;
        failure = null;
        return f;
    }

    private void serve(int id) {
        long seen = 0;
        long idleSince = System.nanoTime();
        while (!closed) {
            if (round != seen) {
                seen = round;
                try {
                    Runnable plain = task;
                    if (plain != null) plain.run();
                    else indexedTask.accept(id + 1);
                } catch (Throwable e) {
                    failure = e;
                }
                finished.incrementAndGet();
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                parked.set(id, 1);
                // checked again after saying so: a hand-off made meanwhile saw the flag, or is seen here
                if (round == seen && !closed) LockSupport.park(this);
                parked.set(id, 0);
                idleSince = System.nanoTime();
            }
        }
    }

    private static void rethrow(Throwable e) {
        if (e == null) return;
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        throw new IllegalStateException(e);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) LockSupport.unpark(t);
    }
}
