package dev.nnc.runtime.train;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.spec.ModelSpec;

/**
 * A batch's augmentation done part by part where the parts are (on a cluster's tasks)
 * with the values one machine gives the whole batch: the driver draws the batch's seeds,
 * one per augmentation, as one machine does ({@link #states}); each part then augments
 * its rows from them and its first row's place in the batch ({@link #apply}), each row
 * from a generator of its own (see {@link Augmenter}).
 */
public final class PartAugmentation {
    private PartAugmentation() {}

    /**
     * {@code [part][augmentation]}: for a batch of {@code rows} rows cut into parts of
     * {@code partRows}, the batch's seed and the part's first row; {@code rng} ends where
     * augmenting the batch on one machine leaves it.
     */
    public static long[][][] states(ModelSpec spec, Rng rng, int rows, int partRows) {
        long[] seeds = new long[spec.train().augment().size()];
        Augmenter.drawSeeds(rng, seeds);
        int parts = (rows + partRows - 1) / partRows;
        long[][][] states = new long[parts][seeds.length][];
        for (int p = 0; p < parts; p++) {
            for (int i = 0; i < seeds.length; i++) states[p][i] = new long[]{seeds[i], (long) p * partRows};
        }
        return states;
    }

    /** Augments a part's {@code rows} rows of x from its states ({@code [augmentation]}). */
    public static void apply(ModelSpec spec, long[][] states, float[] x, int rows) {
        Augmenter augmenter = new Augmenter(spec, spec.train().augment());
        for (int i = 0; i < states.length; i++) {
            augmenter.apply(i, states[i][0], x, (int) states[i][1], rows, spec.inputWidth());
        }
    }

    /** Augments {@code rows} rows of x as one batch, drawing its seeds from {@code rng}. */
    public static void applyAll(ModelSpec spec, Rng rng, float[] x, int rows) {
        new Augmenter(spec, spec.train().augment()).apply(rng, x, rows, spec.inputWidth());
    }
}
