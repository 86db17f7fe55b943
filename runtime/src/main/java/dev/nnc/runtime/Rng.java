package dev.nnc.runtime;

/**
 * SplitMix64: small, fast and specified here, so that a seed gives the same numbers
 * on every JVM (java.util.Random would too, but is slower and synchronized).
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    public void setSeed(long seed) {
        this.state = seed;
        this.hasSpare = false;
    }

    /** The whole state, for a checkpoint: {@link #restore} continues the sequence exactly. */
    public long[] state() {
        return new long[]{state, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spare)};
    }

    public void restore(long[] saved) {
        state = saved[0];
        hasSpare = saved[1] != 0;
        spare = Double.longBitsToDouble(saved[2]);
    }

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    public long nextLong() {
        return mix(state += GAMMA);
    }

    /**
     * The {@code index}-th value (from 0) that a generator seeded with {@code seed} would
     * give, without drawing the ones before it: SplitMix64's state only counts. Lets
     * threads draw from one stream at known places, in any order.
     */
    public static long at(long seed, long index) {
        return mix(seed + (index + 1) * GAMMA);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }

    private double spare;
    private boolean hasSpare;

    /** Standard normal, by Marsaglia's polar method: two per logarithm, the second kept for the next call. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * factor;
        hasSpare = true;
        return u * factor;
    }

    /** 0, 1, ..., n - 1 shuffled. */
    public int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        shuffle(order);
        return order;
    }

    /** Fisher-Yates. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
