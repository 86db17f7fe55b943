package dev.nnc.runtime;

/**
 * What a compiled model class implements. The class holds its parameters, gradients,
 * optimizer state and every activation buffer, allocated once for batches of up to
 * {@link #maxBatch()} rows; no method allocates. Inputs are row-major: {@code n} rows
 * of the input width in {@code x}; in {@code y}, a class index or 0/1 label per row,
 * or the target's reals.
 *
 * <p>A compiled class also has a {@code public static final String SPEC}: its
 * {@link dev.nnc.runtime.spec.ModelSpec} as JSON, and a constructor taking
 * {@code maxBatch}.
 */
public interface Network {

    int maxBatch();

    /** Inference on n rows (no dropout); returns the buffer whose first n rows are the outputs. */
    float[] predict(float[] x, int n);

    /** Inference and the mean loss (without the penalty); outputs in {@link #predictions()}. */
    double evaluate(float[] x, float[] y, int n);

    /** The outputs of the last {@link #predict} or {@link #evaluate}. */
    float[] predictions();

    /** A training forward pass, the loss and the backward pass: fills the gradients, returns the loss. */
    double gradients(float[] x, float[] y, int n);

    /**
     * The same for n rows that are a part of a batch of {@code total} rows: the loss and
     * the gradients are this part's share of the batch's means, so the parts' sums are
     * the batch's.
     */
    double gradients(float[] x, float[] y, int n, int total);

    /** A new instance with its own buffers that shares this one's parameter arrays. */
    Network replica(int maxBatch);

    /**
     * The same, sharing this one's gradient arrays too: its {@code gradients} write this
     * network's {@link #parameterGradients()}. Null from a class that cannot (one laid
     * out split, an older one).
     */
    default Network replicaSharingGradients(int maxBatch) {
        return null;
    }

    /**
     * The first dense layer's weight gradient when a trainer may compute it over a whole
     * batch itself ({@link InputProduct}); null when it may not (no such layer, no Vector
     * API, a class laid out split, an older class).
     */
    default InputProduct inputProduct() {
        return null;
    }

    /**
     * {@link #gradients(float[], float[], int, int)} but for the {@link #inputProduct()}'s
     * gradient, which is left as it was; its delta is then in {@link #inputProductDelta()}.
     */
    default double gradientsWithoutInputProduct(float[] x, float[] y, int n, int total) {
        throw new UnsupportedOperationException("no input product");
    }

    /** The input product's delta after {@link #gradientsWithoutInputProduct}: n rows of its outputs. */
    default float[] inputProductDelta() {
        throw new UnsupportedOperationException("no input product");
    }

    /**
     * Rows [from, to) of the input product's gradient, this network's, from {@code rows}
     * rows of the input {@code x} and of the layer's {@code delta}: each element one sum
     * over the rows in order. {@code from} and {@code to} as {@link InputProduct#block()} says.
     */
    default void computeInputProduct(float[] delta, float[] x, int rows, int from, int to) {
        throw new UnsupportedOperationException("no input product");
    }

    /** The outputs of the last training forward pass. */
    float[] trainingPredictions();

    /** One optimizer step from the current gradients, with learning rate lr. */
    void update(double lr);

    /**
     * The same in parts that threads may share: {@code beginUpdate(lr)}, then every
     * {@code updateSlice(s)} for s below {@link UpdateSlices#COUNT}, in any order and on
     * any threads (each updates its range of every tensor), then {@code endUpdate()}
     * (on the thread that began, after the slices are done).
     */
    void beginUpdate(double lr);

    void updateSlice(int slice);

    void endUpdate();

    /** The penalty's value at the weights before the last update (0 without one). */
    double penalty();

    /** gradients, then update: returns the loss including the penalty. */
    double trainStep(float[] x, float[] y, int n, double lr);

    /** The parameter tensors, in the order of the spec's parameters. */
    float[][] parameters();

    float[][] parameterGradients();

    /**
     * The outputs of the relu stages of the last {@link #predict} or {@link #evaluate}, in the order they are
     * computed: rows of each stage's width (its buffer's length over {@link #maxBatch()}).
     */
    float[][] reluOutputs();

    /**
     * Floats per row in the buffers prediction writes: what a batch part of n rows keeps
     * in the caches is about 4n times this many bytes (0: unknown, from an older class).
     */
    default int predictionRowFloats() {
        return 0;
    }

    /** Zeroes the optimizer's state and step count. */
    void resetOptimizer();

    /**
     * The optimizer's state tensors (momentum, Adam's moments; none for plain SGD), in
     * a fixed order: with the parameters and {@link #optimizerSteps()}, everything a
     * checkpoint needs to continue the updates exactly.
     */
    float[][] optimizerState();

    /** The number of updates so far (Adam's bias correction counts them). */
    double optimizerSteps();

    /** Sets the number of updates, as a checkpoint recorded it. */
    void optimizerSteps(double steps);

    /** The generator that draws dropout masks, whose state a checkpoint saves. */
    Rng random();

    /**
     * Copies the weight matrices into the layout of the fastest prediction kernels (with
     * the Vector API on a machine with 512-bit vectors; else it does nothing), which
     * {@link #predict} and {@link #evaluate} then use, here and in replicas made after,
     * until the next {@link #update}. Call it once the parameters are set and when they
     * will not change by other means while it predicts: the typed model classes do.
     */
    void packWeights();

    /** Seeds the generator that draws dropout masks. */
    void seed(long seed);
}
