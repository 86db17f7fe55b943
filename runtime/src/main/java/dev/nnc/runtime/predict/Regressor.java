package dev.nnc.runtime.predict;

import java.util.Arrays;

/** A model whose target is {@code real[...]}: each prediction is a {@link Regression}. */
public abstract class Regressor extends Model<Regression> {

    protected Regressor(Predictor predictor) {
        super(predictor);
    }

    @Override
    protected final Regression result(float[] outputs, int offset) {
        return new Regression(Arrays.copyOfRange(outputs, offset, offset + spec().outputWidth()));
    }
}
