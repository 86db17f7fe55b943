package dev.nnc.runtime.train;

import dev.nnc.runtime.InputProduct;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.SpinningCrew;
import dev.nnc.runtime.UpdateSlices;

import java.util.function.IntConsumer;

/**
 * Runs training steps on any number of threads with results that do not depend on
 * the number: a batch is always cut into parts of {@link #PART_ROWS} rows, each part's
 * gradients are computed by its own replica of the network (sharing the parameters),
 * and the parts' gradients are summed in part order before the update. The update too
 * is cut into fixed slices ({@link UpdateSlices}), each summing and updating its range
 * of every tensor. Threads only decide which replica or slice runs where. A batch of
 * one part runs on the network itself.
 *
 * <p>The first dense layer's weight gradient, where the network lets a trainer compute it
 * ({@link InputProduct}), is not computed part by part and summed: the parts leave it
 * out, and each update slice computes its rows of it over the whole batch's rows (each
 * element one sum over the rows in order), just before it updates them. It is the largest
 * gradient, and so it is neither written per part nor read back to be summed, nor carried
 * from the core that wrote it to the core that updates it; only the batch's input rows and
 * the layer's delta are.
 */
public final class StepRunner implements AutoCloseable {
    public static final int PART_ROWS = 32;

    private final Network network;
    private final Network[] replicas;
    private final float[][] partX;
    private final float[][] partY;
    /** The rows of a batch of one part, which the network itself trains on. */
    private final float[] oneX;
    private final float[] oneY;
    private final double[] partLoss;
    private final SpinningCrew crew;
    // Made once, so that a step allocates nothing: the arrays of gradient arrays, and one task per part.
    private final float[][] totalGradients;
    private final float[][][] partGradients;
    private final Runnable[] tasks;
    private final Runnable[] sliceTasks = new Runnable[UpdateSlices.COUNT];
    private int stepParts;
    /**
     * Whether the first part's replica writes the network's gradients itself, which the
     * others' are then added to in place: an array of the model's size less to write
     * and to keep in the caches each step.
     */
    private final boolean firstPartWritesTotal;
    /** The threads that share a step: the crew's helpers and the caller. */
    private final int lanes;
    private Runnable[] runWork;
    private int runCount;
    /** Thread {@code lane} runs tasks lane, lane + lanes, ... (published by the crew's hand-off). */
    private final IntConsumer deal;
    private BatchRows stepRowSource;
    private int stepRows;
    /** The network's input product, or null when each part computes every gradient. */
    private final InputProduct inputProduct;
    /** The batch's input rows and the input product's delta, every part's rows in order. */
    private final float[] batchX;
    private final float[] batchDelta;
    private final int inputWidth;

    public StepRunner(Network network, int maxBatch, int inputWidth, int targetWidth, int threads, long seed) {
        this.network = network;
        int parts = (maxBatch + PART_ROWS - 1) / PART_ROWS;
        this.replicas = new Network[parts > 1 ? parts : 0];
        this.partX = new float[replicas.length][PART_ROWS * inputWidth];
        this.partY = new float[replicas.length][PART_ROWS * targetWidth];
        this.partLoss = new double[replicas.length];
        int oneRows = Math.min(maxBatch, PART_ROWS);
        this.oneX = new float[oneRows * inputWidth];
        this.oneY = new float[oneRows * targetWidth];
        for (int i = 0; i < replicas.length; i++) {
            Network sharing = i == 0 ? network.replicaSharingGradients(PART_ROWS) : null;
            replicas[i] = sharing != null ? sharing : network.replica(PART_ROWS);
            replicas[i].seed(seed + 1000L * (i + 1));
        }
        network.seed(seed);
        this.totalGradients = network.parameterGradients();
        this.partGradients = new float[replicas.length][][];
        this.firstPartWritesTotal = replicas.length > 0 && replicas[0].parameterGradients()[0] == totalGradients[0];
        this.inputWidth = inputWidth;
        this.inputProduct = replicas.length > 0 ? InputProduct.inSlices(network) : null;
        this.batchX = inputProduct == null ? null : new float[parts * PART_ROWS * inputWidth];
        this.batchDelta = inputProduct == null ? null : new float[parts * PART_ROWS * inputProduct.outputs()];
        this.tasks = new Runnable[replicas.length];
        for (int i = 0; i < replicas.length; i++) {
            partGradients[i] = replicas[i].parameterGradients();
            int part = i;
            tasks[i] = () -> computePart(part, stepRowSource, stepRows);
        }
        for (int slice = 0; slice < sliceTasks.length; slice++) {
            int s = slice;
            sliceTasks[slice] = () -> sumAndUpdate(s);
        }
        // no more threads than cores: the crew's helpers spin, and a spinning thread without a
        // core of its own would take one from a thread with work
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = replicas.length == 0 ? 1 : Math.min(Math.min(threads, cores), Math.max(replicas.length, UpdateSlices.COUNT));
        this.crew = workers > 1 ? new SpinningCrew(workers - 1, "nnc-train") : null;
        this.lanes = workers;
        this.deal = lane -> {
            for (int i = lane; i < runCount; i += lanes) runWork[i].run();
        };
    }

    /** How many networks draw dropout masks: the network and its replicas. */
    int dropoutGenerators() {
        return 1 + replicas.length;
    }

    /** The states of the dropout generators: the network's, then each replica's. */
    long[][] dropoutStates() {
        long[][] states = new long[dropoutGenerators()][];
        states[0] = network.random().state();
        for (int i = 0; i < replicas.length; i++) states[i + 1] = replicas[i].random().state();
        return states;
    }

    void restoreDropoutStates(long[][] states) {
        network.random().restore(states[0]);
        for (int i = 0; i < replicas.length; i++) replicas[i].random().restore(states[i + 1]);
    }

    /**
     * One step on the n rows {@code rows} gives: returns the loss with the penalty;
     * {@code predictions} receives each part's predictions for the running metrics. Each
     * part copies its own rows, on the thread that computes it: gathering a batch's rows
     * from a large data set waits on memory (124 us of a 64-row Fashion-MNIST step on one
     * thread), and so waits on two cores at once.
     */
    public double step(BatchRows rows, int n, double lr, PartConsumer predictions) {
        if (n <= PART_ROWS || replicas.length == 0) {
            rows.copy(0, n, oneX, oneY);
            double loss = network.trainStep(oneX, oneY, n, lr);
            predictions.accept(network.trainingPredictions(), oneY, n);
            return loss;
        }
        int parts = (n + PART_ROWS - 1) / PART_ROWS;
        stepRowSource = rows;
        stepRows = n;
        runAll(tasks, parts);
        stepRowSource = null;
        double loss = 0;
        for (int p = 0; p < parts; p++) {
            loss += partLoss[p];
            predictions.accept(replicas[p].trainingPredictions(), partY[p], Math.min(PART_ROWS, n - p * PART_ROWS));
        }
        stepParts = parts;
        network.beginUpdate(lr);
        runAll(sliceTasks, sliceTasks.length);
        network.endUpdate();
        return loss + network.penalty();
    }

    /**
     * One slice of the update: the parts' gradients summed in part order over the
     * slice's range of every tensor (the input product's range computed over the whole
     * batch instead), then the network's update of that range.
     */
    private void sumAndUpdate(int slice) {
        float[][] total = totalGradients;
        for (int t = 0; t < total.length; t++) {
            float[] dst = total[t];
            int from = UpdateSlices.start(dst.length, slice);
            int to = UpdateSlices.end(dst.length, slice);
            if (inputProduct != null && t == inputProduct.parameter()) {
                int inputs = inputProduct.inputs();
                network.computeInputProduct(batchDelta, batchX, stepRows, from / inputs, to / inputs);
                continue;
            }
            int p = 1;
            if (!firstPartWritesTotal) {
                // the first two parts in one pass (memory, not arithmetic, bounds this), then the others
                float[] first = partGradients[0][t];
                float[] second = partGradients[1][t];
                for (int i = from; i < to; i++) dst[i] = first[i] + second[i];
                p = 2;
            }
            for (; p < stepParts; p++) {
                float[] src = partGradients[p][t];
                for (int i = from; i < to; i++) dst[i] += src[i];
            }
        }
        network.updateSlice(slice);
    }

    private void computePart(int part, BatchRows source, int n) {
        int from = part * PART_ROWS;
        int rows = Math.min(PART_ROWS, n - from);
        source.copy(from, from + rows, partX[part], partY[part]);
        if (inputProduct == null) {
            partLoss[part] = replicas[part].gradients(partX[part], partY[part], rows, n);
            return;
        }
        partLoss[part] = replicas[part].gradientsWithoutInputProduct(partX[part], partY[part], rows, n);
        int outputs = inputProduct.outputs();
        System.arraycopy(partX[part], 0, batchX, from * inputWidth, rows * inputWidth);
        System.arraycopy(replicas[part].inputProductDelta(), 0, batchDelta, from * outputs, rows * outputs);
    }

    /**
     * Runs the first {@code count} tasks on this thread and the crew's helpers, dealt
     * out by index: each thread always gets the same parts and the same update slices,
     * so a replica's buffers and a slice's optimizer state stay in one core's caches.
     * (Taken in turn from a shared counter instead, parts and slices changed cores from
     * step to step: the Fashion-MNIST MLP on two threads, 2026-11-28, took 318-389 us a
     * step for its parts and 215-238 us for its update slices, against 271-287 us and
     * 171-194 us dealt out, three JVMs each; its fourth epoch, seven JVMs each,
     * interleaved: median 0.517 s (0.440-0.575) against 0.488 s (0.427-0.547).)
     */
    private void runAll(Runnable[] work, int count) {
        if (crew == null) {
            for (int i = 0; i < count; i++) work[i].run();
            return;
        }
        runWork = work;
        runCount = count;
        crew.runOnEach(deal);
    }

    @Override
    public void close() {
        if (crew != null) crew.close();
    }

    /**
     * Where a step's rows come from: rows [from, to) of the batch copied to the starts of
     * x and y. Called from several threads at once, for different rows.
     */
    @FunctionalInterface
    public interface BatchRows {
        void copy(int from, int to, float[] x, float[] y);
    }

    /** Receives the predictions of a part's rows and their targets, both from their starts. */
    @FunctionalInterface
    public interface PartConsumer {
        void accept(float[] predictions, float[] targets, int rows);
    }
}
