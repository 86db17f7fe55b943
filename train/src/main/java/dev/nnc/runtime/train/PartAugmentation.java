package dev.nnc.runtime.train;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.spec.ModelSpec;

/**
 * A batch's augmentation done part by part where the parts are (on a cluster's tasks)
 * with the values one machine gives the whole batch: the driver draws, for each
 * augmentation and part, the generator's state at the part's first row ({@link #states}),
 * advancing its generator as the whole batch would; each part then applies every
 * augmentation from its states ({@link #apply}).
 */
public final class PartAugmentation {
    private PartAugmentation() {}

    /**
     * {@code [part][augmentation]}: the generator states for a batch of {@code rows} rows
     * cut into parts of {@code partRows}; {@code rng} ends where augmenting the batch leaves it.
     */
    public static long[][][] states(ModelSpec spec, Rng rng, int rows, int partRows) {
        Augmenter probe = new Augmenter(spec, spec.train().augment(), rng);
        int parts = (rows + partRows - 1) / partRows;
        int w = spec.inputWidth();
        long[][][] states = new long[parts][probe.count()][];
        float[] scratch = new float[partRows * w];
        for (int i = 0; i < probe.count(); i++) {
            for (int p = 0; p < parts; p++) {
                states[p][i] = rng.state();
                probe.apply(i, scratch, Math.min(partRows, rows - p * partRows), w);
            }
        }
        return states;
    }

    /** Augments a part's {@code rows} rows of x from its states ({@code [augmentation]}). */
    public static void apply(ModelSpec spec, long[][] states, float[] x, int rows) {
        for (int i = 0; i < states.length; i++) {
            Rng rng = new Rng(0);
            rng.restore(states[i]);
            new Augmenter(spec, spec.train().augment(), rng).apply(i, x, rows, spec.inputWidth());
        }
    }

    /** Augments {@code rows} rows of x as one batch, drawing from {@code rng}. */
    public static void applyAll(ModelSpec spec, Rng rng, float[] x, int rows) {
        new Augmenter(spec, spec.train().augment(), rng).apply(x, rows, spec.inputWidth());
    }
}
