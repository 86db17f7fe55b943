package dev.nnc.runtime.predict;

import dev.nnc.runtime.spec.ModelSpec;

import java.util.Arrays;
import java.util.List;

/**
 * What every typed model class has: it predicts from raw inputs (the preprocessing the
 * weights were trained with is applied inside) and is safe to share between threads.
 * The compiler emits one subclass per model, named like it, with static {@code load}
 * methods; its result type depends on the target: {@link Classifier},
 * {@link BinaryClassifier} or {@link Regressor}.
 *
 * @param <R> one row's prediction
 */
public abstract class Model<R> {
    private final Predictor predictor;

    protected Model(Predictor predictor) {
        this.predictor = predictor;
    }

    /**
     * Predicts one row of raw input values, as they appear in the data.
     *
     * @throws IllegalArgumentException when the row is not {@link #inputWidth()} values
     *         long, or holds a NaN or an infinity
     */
    public final R predict(float... input) {
        float[] outputs = predictor.predict(input);
        return result(outputs, 0);
    }

    /**
     * Predicts many rows: large batches are spread over the cores, and each row's result
     * is exactly the one {@link #predict(float...)} gives for it alone.
     *
     * @throws IllegalArgumentException when a row is not {@link #inputWidth()} values long,
     *         or holds a NaN or an infinity; the message gives the row's index
     */
    public final List<R> predict(float[][] rows) {
        Object[] results = new Object[rows.length];
        predictor.predict(rows, (outputs, offset, row) -> results[row] = result(outputs, offset));
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Arrays.asList(results);
        return java.util.Collections.unmodifiableList(list);
    }

    /** The model's name in its {@code .nn} file. */
    public final String name() {
        return spec().name();
    }

    /** The input's name in the {@code .nn} file. */
    public final String inputName() {
        return spec().inputName();
    }

    /** Values per input row: the product of the input's shape. */
    public final int inputWidth() {
        return spec().inputWidth();
    }

    /** The input's shape, e.g. {@code [4]} or {@code [28, 28, 1]}. */
    public final List<Integer> inputShape() {
        return spec().inputShape();
    }

    protected final ModelSpec spec() {
        return predictor.spec();
    }

    /** One row's result from {@code outputs[offset .. offset + output width)}, copied. */
    protected abstract R result(float[] outputs, int offset);

    @Override
    public String toString() {
        return name() + "(" + inputName() + ": " + inputShape() + ")";
    }
}
