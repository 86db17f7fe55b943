package dev.nnc.runtime.predict;

import dev.nnc.runtime.spec.ModelSpec;

import java.time.Duration;
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
    /** How long a warm-up goes on after its last round 5% faster than all before it. */
    private static final Duration CALM = Duration.ofMillis(500);
    /** Rows a warm-up predicts one at a time in each round, after a batch. */
    private static final int WARM_UP_ROWS = 50;
    /** A warm-up's rounds at least: enough that every method of both paths passes C2's thresholds (5,000 calls or so) well. */
    private static final int WARM_UP_ROUNDS = 400;

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

    /**
     * Runs the model on made-up rows until the JIT compiler has compiled its kernels, so
     * that the next predictions run at full speed: call it once after {@code load}, where
     * the first requests must not wait. Until then a prediction is hundreds to thousands
     * of times slower (the Fashion-MNIST MLP's first ones: 12.7 ms each, against 8 µs from
     * about two seconds on). Stops after 400 rounds at least, once predictions have stopped
     * getting faster for half a second, or after ten seconds; returns the time it took.
     * Results never depend on it.
     */
    public final Duration warmUp() {
        return warmUp(Duration.ofSeconds(10));
    }

    /**
     * The same, for at most {@code limit}. Each round predicts a batch that gives every
     * thread a part, then {@link #WARM_UP_ROWS} rows one at a time, through the same calls
     * an application makes; it stops after {@link #WARM_UP_ROUNDS} rounds at least, and
     * {@link #CALM} after the last round that was 5% faster than all before it. (With
     * calm alone it stopped while the methods around the kernels still ran C1's code, which
     * C2 replaced in the next half second: the first predictions after it took 20-37 µs.)
     */
    public final Duration warmUp(Duration limit) {
        float[][] batch = predictor.warmUpRows(predictor.warmUpBatchRows());
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        long lastGain = start;
        double best = Double.MAX_VALUE;
        for (long now = start, round = 0; now - end < 0 && (round < WARM_UP_ROUNDS || now - lastGain < CALM.toNanos()); round++) {
            predict(batch);
            long before = System.nanoTime();
            for (int i = 0; i < WARM_UP_ROWS; i++) predict(batch[i % batch.length]);
            now = System.nanoTime();
            double each = (now - before) / (double) WARM_UP_ROWS;
            if (each < 0.95 * best) lastGain = now;
            best = Math.min(best, each);
        }
        return Duration.ofNanos(System.nanoTime() - start);
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
