package dev.nnc.runtime.vector;

import dev.nnc.runtime.ClaimableCrew;
import dev.nnc.runtime.SpinningCrew;

/**
 * A second core for the kernels of one-sample prediction: one daemon thread that takes
 * half of a kernel's work (the lower half of the output rows of a convolution or of a
 * max pool, the two split alike so that each core mostly reads what it wrote; the upper
 * half of a dense layer's packed panels, each core then reading half the weights) while
 * the caller does the other half. One sample is too little work for a thread pool (a
 * hand-off through a parked thread costs more than the kernel), so the helper is a
 * {@link SpinningCrew} of one. A hand-off costs up to a microsecond, so only kernels of
 * {@link #SPLIT_MACS} or more split: of the MLP's, the 784 by 256 product (one sample
 * 11.3 us on one core, 9.6 on two, a new input each call).
 *
 * <p>There is one helper: the first caller to claim it ({@link #tryClaim}) gets it, and
 * any other does its whole kernel alone, so an application predicting on many threads
 * never waits for it. Which thread computes an output never changes its value: the
 * halves are the same loops over disjoint ranges. A task is a mutable object the kernel
 * keeps (nothing is allocated per call); only the claimer writes it, before the
 * volatile hand-off that publishes it.
 */
final class Helper {
    /** Whether there is a second core to use (the system property {@code nnc.threads} of 1 says no). */
    static final boolean ENABLED = Integer.getInteger("nnc.threads", Runtime.getRuntime().availableProcessors()) > 1;

    /**
     * Multiply-adds a kernel needs before it splits: below, the hand-off (a few hundred
     * nanoseconds) costs more than half the work saves.
     */
    static final long SPLIT_MACS = 50_000;

    /** The one helper thread, started by the first hand-off: a program that never splits a kernel has none. */
    private static final ClaimableCrew HELPER = new ClaimableCrew(1, "nnc-prediction-helper");

    private Helper() {}

    /**
     * Claims the helper, or returns false (the caller then does all the work) when there
     * is no second core or another caller has it. After true, the caller fills its task,
     * {@link #post}s it, does its own half and then calls {@link #join}.
     */
    static boolean tryClaim() {
        return ENABLED && HELPER.tryClaim();
    }

    /** Gives the claimed helper its half. */
    static void post(Runnable half) {
        HELPER.crew().start(half);
    }

    /** Waits for the helper's half, and frees the helper. */
    static void join() {
        try {
            HELPER.crew().await();
        } finally {
            HELPER.release();
        }
    }
}
