package dev.nnc.spark;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.Preprocessing;
import dev.nnc.runtime.train.Evaluation;
import dev.nnc.runtime.train.Scores;
import dev.nnc.runtime.weights.Preprocessor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.Arrays;
import java.util.List;

/**
 * A table's rows where they are, on the executors: one {@link RowsChunk} per partition,
 * cached, rows numbered in partition order; and which of them train, validate or test,
 * split as `nnc train` splits them (the same generator, the same permutations).
 */
final class ClusterData {
    static final byte TRAIN = 0;
    static final byte VALIDATION = 1;
    static final byte TEST = 2;

    final JavaRDD<RowsChunk> chunks;
    final long[] firsts;
    final int rows;

    private ClusterData(JavaRDD<RowsChunk> chunks, long[] firsts, int rows) {
        this.chunks = chunks;
        this.firsts = firsts;
        this.rows = rows;
    }

    /**
     * The rows converted (the table read once), each partition's numbered after the
     * partitions before it; the first value that cannot be used, in partition order, is
     * an error naming its row and column.
     */
    static ClusterData load(JavaSparkContext sc, JavaRDD<Row> table, Columns columns) {
        JavaRDD<RowsChunk> converted = table.mapPartitions(it -> List.of(columns.convert(it)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<RowsChunk> summaries = converted.map(c -> new RowsChunk(0, c.rows(), null, null, c.problem())).collect();
        long[] firsts = new long[summaries.size()];
        long total = 0;
        for (int p = 0; p < summaries.size(); p++) {
            firsts[p] = total;
            RowsChunk s = summaries.get(p);
            if (s.problem() != null) {
                converted.unpersist();
                throw new UserError("error: row " + (total + s.rows() + 1) + " of the data: " + s.problem());
            }
            total += s.rows();
        }
        if (total > Integer.MAX_VALUE - 8) throw new UserError("error: " + total + " rows: nnc numbers at most 2^31 rows");
        Broadcast<long[]> starts = sc.broadcast(firsts);
        JavaRDD<RowsChunk> chunks = converted.mapPartitionsWithIndex((p, it) ->
                List.of(it.next().numbered(starts.value()[p])).iterator(), true).persist(StorageLevel.MEMORY_AND_DISK());
        chunks.count();
        converted.unpersist();
        return new ClusterData(chunks, firsts, (int) total);
    }

    /** Each row's part: test (a split of the model's), validation, else training; as `nnc train` draws them. */
    static Roles split(int rows, double testFraction, double validation, long seed) {
        byte[] role = new byte[rows];
        int[] remaining = new int[rows];
        for (int i = 0; i < rows; i++) remaining[i] = i;
        Rng splitter = new Rng(seed);
        if (testFraction > 0) {
            int[] order = splitter.permutation(rows);
            int testRows = (int) Math.round(rows * testFraction);
            for (int i = 0; i < testRows; i++) role[order[i]] = TEST;
            remaining = Arrays.copyOfRange(order, testRows, rows);
        }
        int[] train = remaining;
        if (validation > 0) {
            int[] order = splitter.permutation(remaining.length);
            int valRows = (int) Math.round(remaining.length * validation);
            for (int i = 0; i < valRows; i++) role[remaining[order[i]]] = VALIDATION;
            train = new int[remaining.length - valRows];
            for (int i = valRows; i < order.length; i++) train[i - valRows] = remaining[order[i]];
        }
        if (train.length == 0) throw new UserError("error: no training rows are left after the test and validation splits");
        return new Roles(role, train);
    }

    /** {@code trainRows[t]}: the row of training row t, in the order `nnc train`'s data set has them. */
    record Roles(byte[] role, int[] trainRows) {
        int count(byte which) {
            int n = 0;
            for (byte r : role) if (r == which) n++;
            return n;
        }
    }

    /**
     * The preprocessing fitted on the training rows: sums per partition, added in
     * partition order (equal to one machine's up to the rounding of that order).
     */
    Preprocessor fit(JavaSparkContext sc, Preprocessing spec, Broadcast<byte[]> roles, int width) {
        switch (spec.kind()) {
            case "standard": {
                List<double[]> sums = chunks.map(c -> sums(c, roles.value(), width, null)).collect();
                double[] mean = total(sums, width);
                long n = (long) mean[width];
                for (int j = 0; j < width; j++) mean[j] /= n;
                Broadcast<double[]> means = sc.broadcast(mean);
                double[] squares = total(chunks.map(c -> sums(c, roles.value(), width, means.value())).collect(), width);
                return FeatureScaling.standard(Arrays.copyOf(mean, width), squares, n);
            }
            case "minmax": {
                float[] min = new float[width];
                float[] max = new float[width];
                Arrays.fill(min, Float.POSITIVE_INFINITY);
                Arrays.fill(max, Float.NEGATIVE_INFINITY);
                for (float[][] part : chunks.map(c -> extremes(c, roles.value(), width)).collect()) {
                    for (int j = 0; j < width; j++) {
                        min[j] = Math.min(min[j], part[0][j]);
                        max[j] = Math.max(max[j], part[1][j]);
                    }
                }
                return FeatureScaling.minmax(min, max);
            }
            default: {
                float[] scale = new float[width];
                Arrays.fill(scale, spec.kind().equals("scale") ? (float) spec.factor() : 1f);
                return new Preprocessor(spec.kind(), new float[width], scale);
            }
        }
    }

    /** Per feature, the sum of x (or of (x - mean)² when {@code mean} is given) over the training rows; the count last. */
    private static double[] sums(RowsChunk c, byte[] role, int width, double[] mean) {
        double[] sum = new double[width + 1];
        for (int r = 0; r < c.rows(); r++) {
            if (role[(int) (c.first() + r)] != TRAIN) continue;
            for (int j = 0; j < width; j++) {
                double v = c.x()[r * width + j];
                if (mean != null) v = (v - mean[j]) * (v - mean[j]);
                sum[j] += v;
            }
            sum[width]++;
        }
        return sum;
    }

    private static double[] total(List<double[]> parts, int width) {
        double[] total = new double[width + 1];
        for (double[] part : parts) for (int j = 0; j <= width; j++) total[j] += part[j];
        return total;
    }

    private static float[][] extremes(RowsChunk c, byte[] role, int width) {
        float[][] e = {new float[width], new float[width]};
        Arrays.fill(e[0], Float.POSITIVE_INFINITY);
        Arrays.fill(e[1], Float.NEGATIVE_INFINITY);
        for (int r = 0; r < c.rows(); r++) {
            if (role[(int) (c.first() + r)] != TRAIN) continue;
            for (int j = 0; j < width; j++) {
                e[0][j] = Math.min(e[0][j], c.x()[r * width + j]);
                e[1][j] = Math.max(e[1][j], c.x()[r * width + j]);
            }
        }
        return e;
    }

    /** The same rows preprocessed, cached in place of these. */
    ClusterData preprocessed(JavaSparkContext sc, Preprocessor preprocessor) {
        Broadcast<Preprocessor> scaling = sc.broadcast(preprocessor);
        JavaRDD<RowsChunk> scaled = chunks.map(c -> {
            float[] x = c.x().clone();
            scaling.value().apply(x, c.rows());
            return new RowsChunk(c.first(), c.rows(), x, c.y(), null);
        }).persist(StorageLevel.MEMORY_AND_DISK());
        scaled.count();
        chunks.unpersist();
        return new ClusterData(scaled, firsts, rows);
    }

    /**
     * Loss and score of the weights on the rows of one role (all rows when {@code which}
     * is negative), each partition in chunks of 256 rows, the partitions' sums added in
     * partition order.
     */
    Evaluation evaluate(JavaSparkContext sc, ModelBytes model, ModelSpec spec, float[][] weights, Broadcast<byte[]> roles,
                        int which) {
        Broadcast<float[][]> shared = sc.broadcast(weights);
        List<double[]> sums = chunks.map(c -> evaluateChunk(model, shared.value(), c, roles == null ? null : roles.value(),
                which)).collect();
        shared.destroy();
        double loss = 0;
        double score = 0;
        long n = 0;
        for (double[] s : sums) {
            loss += s[0];
            score += s[1];
            n += (long) s[2];
        }
        return new Evaluation(loss / n, score / new Scores(spec).count((int) n));
    }

    private static double[] evaluateChunk(ModelBytes model, float[][] weights, RowsChunk c, byte[] role, int which) {
        ModelSpec spec = model.model().spec();
        Network net = model.network(256);
        Weights.load(weights, net);
        Scores scores = new Scores(spec);
        int inW = spec.inputWidth();
        int tW = spec.targetWidth();
        float[] x = new float[256 * inW];
        float[] y = new float[256 * tW];
        double[] sums = new double[3];
        int n = 0;
        for (int r = 0; r <= c.rows(); r++) {
            if (n == 256 || (r == c.rows() && n > 0)) {
                sums[0] += net.evaluate(x, y, n) * n;
                sums[1] += scores.score(net.predictions(), y, 0, n);
                sums[2] += n;
                n = 0;
            }
            if (r == c.rows()) break;
            if (which >= 0 && role[(int) (c.first() + r)] != which) continue;
            System.arraycopy(c.x(), r * inW, x, n * inW, inW);
            System.arraycopy(c.y(), r * tW, y, n * tW, tW);
            n++;
        }
        return sums;
    }

    void release() {
        chunks.unpersist();
    }
}
