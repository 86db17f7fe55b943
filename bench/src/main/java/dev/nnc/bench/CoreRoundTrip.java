package dev.nnc.bench;

import java.util.Arrays;

/**
 * How long two cores take to pass a cache line there and back, measured on the spot:
 * two threads take turns writing a counter that the other waits for. Training on two
 * threads pays about this for every cache line of weights that one core writes and the
 * other then reads, and on this machine's virtual cores it is not one figure: the host
 * places them near each other at some times and far apart at others, from one minute to
 * the next (79-131 ns or 350-622 ns on 2026-11-29 between 03:00 and 04:30; 57-61 ns the
 * night before), and the Fashion-MNIST epoch on two threads follows (see docs/performance.md,
 * "Where the time goes"). So bench/compare measures it before and after each round's
 * training and reports it beside the epochs.
 */
final class CoreRoundTrip {
    private static final int TRIPS = 200_000;
    private static final int TRIES = 5;

    private volatile long ping;
    private volatile long pong;

    private CoreRoundTrip() {}

    /** Nanoseconds per round trip, the median of a few tries; NaN on one core, where it means nothing. */
    static double nanos() throws InterruptedException {
        if (Runtime.getRuntime().availableProcessors() < 2) return Double.NaN;
        double[] tries = new double[TRIES];
        for (int t = 0; t < TRIES; t++) tries[t] = new CoreRoundTrip().measure();
        Arrays.sort(tries);
        return tries[TRIES / 2];
    }

    private double measure() throws InterruptedException {
        Thread echo = new Thread(() -> {
            for (long i = 1; i <= TRIPS; i++) {
                while (ping != i) Thread.onSpinWait();
                pong = i;
            }
        }, "round-trip-echo");
        echo.setDaemon(true);
        echo.start();
        long start = System.nanoTime();
        for (long i = 1; i <= TRIPS; i++) {
            ping = i;
            while (pong != i) Thread.onSpinWait();
        }
        double nanos = (System.nanoTime() - start) / (double) TRIPS;
        echo.join();
        return nanos;
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.printf("core-to-core round trip: %.0f ns%n", nanos());
    }
}
