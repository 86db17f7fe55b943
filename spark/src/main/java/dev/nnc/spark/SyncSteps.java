package dev.nnc.spark;

import dev.nnc.runtime.InputProduct;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UpdateSlices;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.train.PartAugmentation;
import dev.nnc.runtime.train.ScoreSum;
import dev.nnc.runtime.train.Scores;
import dev.nnc.runtime.train.StepEngine;
import dev.nnc.runtime.train.StepRunner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Synchronous steps on a cluster, the same arithmetic as {@link StepRunner} on one
 * machine. Once per epoch, the rows travel to where their part of their batch is
 * computed: "slot" p holds part p (rows 32p to 32p + 31) of every batch of the epoch,
 * in the epoch's order. Each step, the driver broadcasts the weights, slot p's task
 * computes its part's gradients with its part's dropout generator, and the driver adds
 * the parts' gradients in part order and applies the update: the weights are those of
 * `nnc train` on one machine, bit for bit. Where StepRunner computes the first layer's
 * weight gradient over the whole batch ({@link InputProduct}), so does the driver: the
 * tasks leave it out and send their part's input rows and that layer's delta instead
 * (for Fashion-MNIST's first layer, 33,000 floats a part rather than 200,000).
 * Augmentation too: the driver draws each part's generator states
 * ({@link PartAugmentation}), the task augments its rows from them. A retried task starts
 * again from the same broadcast weights and generator state, so it computes the same.
 */
final class SyncSteps implements StepEngine {
    private static final int PART = StepRunner.PART_ROWS;

    private final JavaSparkContext sc;
    private final ClusterData data;
    private final ModelBytes model;
    private final ModelSpec spec;
    private final Network network;
    private final int[] trainRows;
    private final int batch;
    private final int slots;
    private final long[][] dropout;
    private final Rng augmentation;
    private final TaskHook hook;
    private JavaRDD<SlotRows> epoch;
    private final Timing timing = new Timing("step");
    /** The network's input product, as StepRunner decides it, or null. */
    private final InputProduct inputProduct;

    SyncSteps(JavaSparkContext sc, ClusterData data, ModelBytes model, ModelSpec spec, Network network, int[] trainRows,
              int batch, long dropoutSeed, long augmentationSeed, TaskHook hook) {
        this.sc = sc;
        this.data = data;
        this.model = model;
        this.spec = spec;
        this.network = network;
        this.trainRows = trainRows;
        this.batch = batch;
        this.slots = (batch + PART - 1) / PART;
        this.hook = hook;
        this.augmentation = new Rng(augmentationSeed);
        // as StepRunner: the network's generator, then one per part when a batch has several
        this.dropout = new long[1 + (slots > 1 ? slots : 0)][];
        for (int g = 0; g < dropout.length; g++) dropout[g] = new Rng(dropoutSeed + 1000L * g).state();
        this.inputProduct = InputProduct.inSlices(network);
    }

    @Override
    public double step(int[] order, int from, int n, double lr, ScoreSum score) {
        if (from == 0 || epoch == null) exchange(order);
        long start = System.nanoTime();
        int step = from / batch;
        boolean whole = n <= PART || slots == 1;
        int parts = whole ? 1 : (n + PART - 1) / PART;
        long[][] states = whole ? new long[][]{dropout[0]} : Arrays.copyOfRange(dropout, 1, 1 + parts);
        long[][][] augment = spec.train().augment().isEmpty() ? null
                : PartAugmentation.states(spec, augmentation, n, whole ? n : PART);
        Broadcast<float[][]> weights = sc.broadcast(Weights.of(network));
        ModelBytes model = this.model;
        TaskHook hook = this.hook;
        int product = whole || inputProduct == null ? -1 : inputProduct.parameter();
        int productOutputs = inputProduct == null ? 0 : inputProduct.outputs();
        List<PartResult> results = new ArrayList<>(epoch.mapPartitionsWithIndex((slot, it) -> slot >= parts
                ? java.util.Collections.<PartResult>emptyIterator()
                : List.of(part(model, weights.value(), it.next(), slot, step, n, states[slot],
                        augment == null ? null : augment[slot], product, productOutputs, hook)).iterator(), false)
                .collect());
        weights.destroy();
        results.sort(Comparator.comparingInt(PartResult::slot));
        timing.add(System.nanoTime() - start, results.stream().mapToLong(PartResult::nanos).max().orElse(0));
        if (whole) {
            PartResult r = results.get(0);
            copy(r.gradients(), network.parameterGradients());
            network.update(lr);
            score.add(r.score());
            dropout[0] = r.state();
            return r.loss() + network.penalty();
        }
        sumInPartOrder(results, network.parameterGradients(), product);
        if (product >= 0) computeInputProduct(results, n);
        network.beginUpdate(lr);
        for (int slice = 0; slice < UpdateSlices.COUNT; slice++) network.updateSlice(slice);
        network.endUpdate();
        double loss = 0;
        for (PartResult r : results) {
            loss += r.loss();
            score.add(r.score());
            dropout[1 + r.slot()] = r.state();
        }
        return loss + network.penalty();
    }

    /** As StepRunner sums: the first two parts, then each further one; all but the input product's gradient (-1: none). */
    private static void sumInPartOrder(List<PartResult> parts, float[][] total, int product) {
        for (int t = 0; t < total.length; t++) {
            if (t == product) continue;
            float[] dst = total[t];
            float[] first = parts.get(0).gradients()[t];
            float[] second = parts.get(1).gradients()[t];
            for (int i = 0; i < dst.length; i++) dst[i] = first[i] + second[i];
            for (int p = 2; p < parts.size(); p++) {
                float[] src = parts.get(p).gradients()[t];
                for (int i = 0; i < dst.length; i++) dst[i] += src[i];
            }
        }
    }

    /** The input product's gradient over the whole batch, from the parts' rows and deltas in part order, as StepRunner's slices compute it. */
    private void computeInputProduct(List<PartResult> parts, int n) {
        int inputs = inputProduct.inputs();
        int outputs = inputProduct.outputs();
        float[] x = new float[n * inputs];
        float[] delta = new float[n * outputs];
        int row = 0;
        for (PartResult p : parts) {
            int rows = p.delta().length / outputs;
            System.arraycopy(p.x(), 0, x, row * inputs, rows * inputs);
            System.arraycopy(p.delta(), 0, delta, row * outputs, rows * outputs);
            row += rows;
        }
        network.computeInputProduct(delta, x, n, 0, outputs);
    }

    private static void copy(float[][] from, float[][] to) {
        for (int t = 0; t < to.length; t++) System.arraycopy(from[t], 0, to[t], 0, to[t].length);
    }

    /**
     * One part's gradients, loss, score and generator state, computed in a task; with
     * {@code product} a parameter's index, all gradients but that input product's, and the
     * part's input rows and the product's delta ({@code outputs} wide) instead.
     */
    private static PartResult part(ModelBytes model, float[][] weights, SlotRows rows, int slot, int step, int n,
                                   long[] state, long[][] augment, int product, int outputs, TaskHook hook) {
        if (hook != null) hook.before(slot, step);
        long start = System.nanoTime();
        Network net = model.network(PART);
        Weights.load(weights, net);
        net.random().restore(state);
        int count = rows.count(step);
        float[] x = rows.x(step);
        float[] y = rows.y(step);
        if (augment != null) PartAugmentation.apply(model.model().spec(), augment, x, count);
        double loss = product < 0 ? net.gradients(x, y, count, n) : net.gradientsWithoutInputProduct(x, y, count, n);
        double score = new Scores(model.model().spec()).score(net.trainingPredictions(), y, 0, count);
        // the input product's gradient is not computed here: the driver computes it over the batch
        float[][] gradients = Weights.copy(net.parameterGradients(), product);
        float[] rowsOfX = null;
        float[] delta = null;
        if (product >= 0) {
            rowsOfX = Arrays.copyOf(x, count * model.model().spec().inputWidth());
            delta = Arrays.copyOf(net.inputProductDelta(), count * outputs);
        }
        return new PartResult(slot, loss, score, gradients, rowsOfX, delta, net.random().state(), System.nanoTime() - start);
    }

    /** A part's result; {@code x} and {@code delta}, the rows for the input product, null when the task computed every gradient. */
    record PartResult(int slot, double loss, double score, float[][] gradients, float[] x, float[] delta, long[] state,
                      long nanos) implements Serializable {}

    /** Where the steps' time went: see {@link Timing}. */
    Timing timing() {
        return timing;
    }

    /** Sends every training row to its slot for this epoch's order, replacing the last epoch's. */
    private void exchange(int[] order) {
        int[] stepOf = new int[data.rows];
        int[] placeOf = new int[data.rows];
        Arrays.fill(stepOf, -1);
        for (int k = 0; k < order.length; k++) {
            int row = trainRows[order[k]];
            stepOf[row] = k / batch;
            placeOf[row] = k % batch;
        }
        Broadcast<int[]> steps = sc.broadcast(stepOf);
        Broadcast<int[]> places = sc.broadcast(placeOf);
        int width = spec.inputWidth();
        int targetWidth = spec.targetWidth();
        int stepsInEpoch = (order.length + batch - 1) / batch;
        JavaRDD<SlotRows> next = data.chunks.flatMapToPair(c -> {
            List<Tuple2<Integer, SlotRows.Row>> out = new ArrayList<>();
            for (int r = 0; r < c.rows(); r++) {
                int row = (int) (c.first() + r);
                int s = steps.value()[row];
                if (s < 0) continue;
                int place = places.value()[row];
                out.add(new Tuple2<>(place / PART, new SlotRows.Row(s, place % PART,
                        Arrays.copyOfRange(c.x(), r * width, (r + 1) * width),
                        Arrays.copyOfRange(c.y(), r * targetWidth, (r + 1) * targetWidth))));
            }
            return out.iterator();
        }).partitionBy(new Slots(slots)).mapPartitions(it -> List.of(SlotRows.of(it, stepsInEpoch)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        next.count();
        steps.destroy();
        places.destroy();
        if (epoch != null) epoch.unpersist();
        epoch = next;
    }

    /** Slot p is partition p. */
    private static final class Slots extends Partitioner {
        private final int count;

        Slots(int count) {
            this.count = count;
        }

        @Override
        public int numPartitions() {
            return count;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }
    }

    @Override
    public int dropoutGenerators() {
        return dropout.length;
    }

    @Override
    public long[][] dropoutStates() {
        return dropout.clone();
    }

    @Override
    public void restoreDropoutStates(long[][] states) {
        System.arraycopy(states, 0, dropout, 0, dropout.length);
    }

    @Override
    public Rng augmentation() {
        return augmentation;
    }

    @Override
    public void close() {
        if (epoch != null) epoch.unpersist();
    }
}
