package dev.nnc.runtime.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A second core for the kernels of one-sample prediction: one daemon thread that takes
 * half of a kernel's work (the lower half of the output rows of a convolution or of a
 * max pool, the two split alike so that each core mostly reads what it wrote; the upper
 * half of a dense layer's packed panels, each core then reading half the weights) while
 * the caller does the other half. One sample is too little work for a thread pool (a
 * hand-off through a parked thread costs more than the kernel), so the helper spins
 * between tasks, as ONNX Runtime's threads do, and parks after {@link #SPIN_NANOS}
 * without one. A hand-off costs about 0.3 us here (the two cores exchange a cache line),
 * so only kernels of {@link #SPLIT_MACS} or more split: of the MLP's, the 784 by 256
 * product (one sample 11.3 us on one core, 9.6 on two, a new input each call).
 *
 * <p>There is one helper: the first caller to claim it ({@link #tryClaim}) gets it, and
 * any other does its whole kernel alone, so an application predicting on many threads
 * never waits for it. Which thread computes an output never changes its value: the
 * halves are the same loops over disjoint ranges. A task is a mutable object the kernel
 * keeps (nothing is allocated per call); only the claimer writes it, before the
 * volatile hand-off that publishes it.
 */
final class Helper {
    private static final int IDLE = 0, CLAIMED = 1, POSTED = 2, DONE = 3;
    /** How long the helper spins for the next task before it parks. */
    private static final long SPIN_NANOS = 200_000;
    /** Whether there is a second core to use (the system property {@code nnc.threads} of 1 says no). */
    static final boolean ENABLED = Integer.getInteger("nnc.threads", Runtime.getRuntime().availableProcessors()) > 1;

    /**
     * Multiply-adds a kernel needs before it splits: below, the hand-off (a few hundred
     * nanoseconds) costs more than half the work saves.
     */
    static final long SPLIT_MACS = 50_000;

    private static final AtomicInteger STATE = new AtomicInteger(IDLE);
    private static volatile Runnable task;
    private static volatile Throwable failure;
    private static volatile Thread thread;

    private Helper() {}

    /**
     * Claims the helper, or returns false (the caller then does all the work) when there
     * is no second core or another caller has it. After true, the caller fills its task,
     * {@link #post}s it, does its own half and then calls {@link #join}.
     */
    static boolean tryClaim() {
        return ENABLED && STATE.compareAndSet(IDLE, CLAIMED);
    }

    /** Gives the claimed helper its half. */
    static void post(Runnable half) {
        task = half;
        STATE.set(POSTED);
        Thread t = thread;
        if (t == null) t = start();
        LockSupport.unpark(t);
    }

    /** Waits (spinning: the half takes microseconds) for the helper's half, and frees the helper. */
    static void join() {
        while (STATE.get() != DONE) Thread.onSpinWait();
        Throwable f = failure;
        failure = null;
        task = null;
        STATE.set(IDLE);
        if (f != null) throw new IllegalStateException("the prediction helper failed", f);
    }

    private static synchronized Thread start() {
        if (thread == null) {
            Thread t = new Thread(Helper::serve, "nnc-prediction-helper");
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        return thread;
    }

    private static void serve() {
        long idleSince = System.nanoTime();
        while (true) {
            if (STATE.get() == POSTED) {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure = e;
                }
                STATE.set(DONE);
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park();
                idleSince = System.nanoTime();
            }
        }
    }
}
