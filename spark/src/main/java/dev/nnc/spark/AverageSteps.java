package dev.nnc.spark;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.train.PartAugmentation;
import dev.nnc.runtime.train.ScoreSum;
import dev.nnc.runtime.train.Scores;
import dev.nnc.runtime.train.StepEngine;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parameter averaging: one "step" of the training loop is a round in which every
 * partition takes up to {@code localSteps} steps of the model's batch on its own
 * training rows (in an order of its own, drawn anew each epoch), from the weights and
 * optimizer state the driver broadcast; the driver then averages the partitions'
 * weights and optimizer state, each weighted by the rows it trained on, in partition
 * order. The last round of an epoch takes each partition to the end of its rows. Fewer,
 * larger exchanges than {@link SyncSteps}: the throughput mode, not bit-identical to one
 * machine.
 */
final class AverageSteps implements StepEngine {
    private final JavaSparkContext sc;
    private final ClusterData data;
    private final ModelBytes model;
    private final Network network;
    private final Broadcast<byte[]> roles;
    private final int batch;
    private final int localSteps;
    private final long seed;
    private final int[] trainingRows;
    private final int[] position;
    private final TaskHook hook;
    /** The training loop saves an augmentation state; here each task draws its own (see train), so this one never moves. */
    private final Rng augmentation = new Rng(0);
    private final Timing timing = new Timing("round");
    private int epoch = -1;
    private int round;

    AverageSteps(JavaSparkContext sc, ClusterData data, ModelBytes model, Network network, Broadcast<byte[]> roles,
                 int batch, int localSteps, long seed, TaskHook hook) {
        this.sc = sc;
        this.data = data;
        this.model = model;
        this.network = network;
        this.roles = roles;
        this.batch = batch;
        this.localSteps = localSteps;
        this.seed = seed;
        this.hook = hook;
        this.trainingRows = data.chunks.map(c -> {
            int n = 0;
            for (int r = 0; r < c.rows(); r++) if (roles.value()[(int) (c.first() + r)] == ClusterData.TRAIN) n++;
            return n;
        }).collect().stream().mapToInt(Integer::intValue).toArray();
        this.position = new int[trainingRows.length];
    }

    /** The rows of a round in the training loop's accounting: every partition's local steps. */
    int roundRows() {
        int partitions = (int) java.util.Arrays.stream(trainingRows).filter(n -> n > 0).count();
        return Math.max(1, partitions) * batch * localSteps;
    }

    @Override
    public double step(int[] order, int from, int n, double lr, ScoreSum score) {
        if (from == 0) {
            epoch++;
            round = 0;
            java.util.Arrays.fill(position, 0);
        }
        long began = System.nanoTime();
        boolean last = from + n >= order.length;
        int[] ends = new int[position.length];
        for (int p = 0; p < ends.length; p++) {
            ends[p] = last ? trainingRows[p] : Math.min(trainingRows[p], position[p] + batch * localSteps);
        }
        Broadcast<State> start = sc.broadcast(new State(Weights.of(network), Weights.copy(network.optimizerState()),
                network.optimizerSteps()));
        int[] begins = position.clone();
        ModelBytes model = this.model;
        Broadcast<byte[]> roles = this.roles;
        int batch = this.batch;
        long epochSeed = seed + 1_000_003L * epoch;
        int roundOfEpoch = round;
        TaskHook hook = this.hook;
        List<Local> locals = new ArrayList<>(data.chunks.mapPartitionsWithIndex((p, it) -> List.of(
                train(model, start.value(), it.next(), roles.value(), p, begins[p], ends[p], batch, lr, epochSeed, roundOfEpoch, hook))
                .iterator(), false).collect());
        start.destroy();
        locals.sort(Comparator.comparingInt(Local::partition));
        average(locals);
        timing.add(System.nanoTime() - began, locals.stream().mapToLong(Local::nanos).max().orElse(0));
        double loss = 0;
        for (Local l : locals) {
            loss += l.loss();
            score.add(l.score());
        }
        System.arraycopy(ends, 0, position, 0, ends.length);
        round++;
        return loss / n;
    }

    /** The weights and optimizer state, each the mean of the partitions' weighted by their rows, added in partition order. */
    private void average(List<Local> locals) {
        long rows = locals.stream().mapToLong(Local::rows).sum();
        if (rows == 0) return;
        mean(locals, rows, Local::weights, network.parameters());
        mean(locals, rows, Local::state, network.optimizerState());
        network.optimizerSteps(locals.stream().mapToDouble(Local::steps).max().orElse(network.optimizerSteps()));
    }

    private static void mean(List<Local> locals, long rows, java.util.function.Function<Local, float[][]> of, float[][] into) {
        for (int t = 0; t < into.length; t++) {
            double[] sum = new double[into[t].length];
            for (Local l : locals) {
                if (l.rows() == 0) continue;
                float[] v = of.apply(l)[t];
                double share = (double) l.rows() / rows;
                for (int i = 0; i < sum.length; i++) sum[i] += share * v[i];
            }
            for (int i = 0; i < sum.length; i++) into[t][i] = (float) sum[i];
        }
    }

    record State(float[][] weights, float[][] optimizer, double steps) implements Serializable {}

    record Local(int partition, float[][] weights, float[][] state, double steps, long rows, double loss, double score,
                 long nanos) implements Serializable {}

    /** Where the rounds' time went: see {@link Timing}. */
    Timing timing() {
        return timing;
    }

    /** A partition's local steps, over its training rows begin..end of this epoch's order. */
    private static Local train(ModelBytes model, State start, RowsChunk c, byte[] roles, int partition, int begin, int end,
                               int batch, double lr, long epochSeed, int round, TaskHook hook) {
        if (hook != null) hook.before(partition, round);
        long began = System.nanoTime();
        Network net = model.network(batch);
        Weights.load(start.weights(), net);
        float[][] state = net.optimizerState();
        for (int t = 0; t < state.length; t++) System.arraycopy(start.optimizer()[t], 0, state[t], 0, state[t].length);
        net.optimizerSteps(start.steps());
        net.random().setSeed((epochSeed * 7919 + round) * 31 + partition);
        Rng augmentation = new Rng((epochSeed * 7919 + round) * 37 + partition);
        int[] local = localOrder(c, roles, epochSeed, partition);
        int inW = c.x().length / Math.max(1, c.rows());
        int tW = c.y().length / Math.max(1, c.rows());
        float[] x = new float[batch * inW];
        float[] y = new float[batch * tW];
        Scores scores = new Scores(model.model().spec());
        double loss = 0;
        double score = 0;
        for (int s = begin; s < end; s += batch) {
            int n = Math.min(batch, end - s);
            for (int i = 0; i < n; i++) {
                System.arraycopy(c.x(), local[s + i] * inW, x, i * inW, inW);
                System.arraycopy(c.y(), local[s + i] * tW, y, i * tW, tW);
            }
            PartAugmentation.applyAll(model.model().spec(), augmentation, x, n);
            loss += net.trainStep(x, y, n, lr) * n;
            score += scores.score(net.trainingPredictions(), y, 0, n);
        }
        return new Local(partition, Weights.of(net), Weights.copy(net.optimizerState()), net.optimizerSteps(), end - begin,
                loss, score, System.nanoTime() - began);
    }

    /** The partition's training rows in this epoch's order (the same for every round of the epoch). */
    private static int[] localOrder(RowsChunk c, byte[] roles, long epochSeed, int partition) {
        int[] rows = new int[c.rows()];
        int n = 0;
        for (int r = 0; r < c.rows(); r++) if (roles[(int) (c.first() + r)] == ClusterData.TRAIN) rows[n++] = r;
        int[] local = java.util.Arrays.copyOf(rows, n);
        new Rng(epochSeed * 31 + partition).shuffle(local);
        return local;
    }

    @Override
    public int dropoutGenerators() {
        return 0;
    }

    @Override
    public long[][] dropoutStates() {
        return new long[0][];
    }

    @Override
    public void restoreDropoutStates(long[][] states) {
    }

    @Override
    public Rng augmentation() {
        return augmentation;
    }

    @Override
    public void close() {
    }
}
