package dev.nnc.runtime.predict;

import java.util.Arrays;

/** The prediction of a {@code real[...]} target: the predicted values, in the target's order. */
public final class Regression {
    private final float[] values;

    Regression(float[] values) {
        this.values = values;
    }

    /** The predicted values (a copy). */
    public float[] values() {
        return values.clone();
    }

    /** The i-th predicted value. */
    public float value(int i) {
        return values[i];
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
