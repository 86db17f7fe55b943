package dev.nnc.runtime.predict;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.ClaimableCrew;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.VectorApi;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.vector.Rows;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.Safetensors;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine behind a typed model class: a compiled {@link Network} with loaded
 * weights, the input preprocessing those weights were trained with, and one set of
 * buffers per thread. The parameters are shared and never written after loading, so
 * any number of threads predict at once without locks; each thread's buffers are made
 * on its first call and reused after, so a call allocates nothing but its result.
 */
public final class Predictor {
    /**
     * Rows per part of a batch, at most: each part runs on one thread, in its own buffers
     * ({@link #balancedPartRows} cuts a batch into parts of this size or less).
     */
    static final int PART = 120;
    /**
     * Bytes of buffers a part may write: half of a core's 1 MB second-level cache. A
     * CNN's rows are large (160 KB for the Fashion-MNIST one, most of it the first
     * convolution's output), and parts of 120 rows made prediction wait on memory: 20,400
     * images/s on two cores against 36,200 with parts of 6.
     */
    private static final int PART_BYTES = 512 * 1024;
    /** Threads of one batch prediction, the caller's included: one per core, or the system property {@code nnc.threads}. */
    private static final int THREADS = Math.max(1, Integer.getInteger("nnc.threads", Runtime.getRuntime().availableProcessors()));
    /**
     * The helpers of batch prediction, one per core beside the calling thread, started by
     * the first batch with parts for them; a batch that finds them taken by another
     * thread's runs on its caller alone. They spin for a while between batches, as ONNX
     * Runtime's threads do: through a ForkJoinPool, each batch first woke a parked thread
     * (typed batches of 1000 rows on two threads, medians of three JVMs each, interleaved,
     * 2026-11-28: 627,000-639,000 rows/s against 597,000-607,000).
     */
    private static final ClaimableCrew HELPERS = new ClaimableCrew(THREADS - 1, "nnc-batch-prediction");

    /** Whether rows are prepared with the Vector API. */
    private static final boolean VECTOR = VectorApi.enabled();

    private final ModelSpec spec;
    private final Network weights;
    private final Preprocessor preprocessor;
    private final ThreadLocal<Buffers> buffers;
    private final int partRows;
    /** The spec's input and output widths, kept: the spec computes them from its shapes on each call, and a batch asks per row. */
    private final int inputWidth;
    private final int outputWidth;

    /** One thread's networks (sharing the parameters) and input rows. */
    private final class Buffers {
        final Network one = weights.replica(1);
        final float[] row = new float[inputWidth];
        Network part;
        float[] rows;

        Network part() {
            if (part == null) {
                part = weights.replica(partRows);
                rows = new float[partRows * inputWidth];
            }
            return part;
        }
    }

    private Predictor(ModelClass model, Safetensors.Contents contents, String origin) {
        this.spec = model.spec();
        this.inputWidth = spec.inputWidth();
        this.outputWidth = spec.outputWidth();
        this.weights = model.create(1);
        try {
            this.preprocessor = WeightsFile.load(contents, origin, spec, weights);
        } catch (UserError e) {
            throw loadError(e);
        }
        weights.packWeights();
        this.partRows = partRows(weights.predictionRowFloats());
        this.buffers = ThreadLocal.withInitial(Buffers::new);
    }

    /** Rows per part: as many as keep the part's buffers within PART_BYTES, in sixes, from 6 to PART. */
    static int partRows(int rowFloats) {
        if (rowFloats <= 0) return PART;
        int rows = PART_BYTES / 4 / rowFloats / 6 * 6;
        return Math.max(6, Math.min(PART, rows));
    }

    /** The model of a typed class with the weights of a safetensors file written by {@code nnc train}. */
    public static Predictor load(Class<?> typedClass, Path weights) {
        try {
            return new Predictor(network(typedClass), Safetensors.read(weights), weights.toString());
        } catch (UserError e) {
            throw loadError(e);
        }
    }

    /** The same from a stream, read to its end (and not closed). */
    public static Predictor load(Class<?> typedClass, InputStream weights) {
        ModelClass model = network(typedClass);
        return load(model, weights, model.spec().name() + " weights (stream)");
    }

    /**
     * The weights bundled beside the typed class: the resource {@code Name.safetensors}
     * in its package, as nnc-maven-plugin and {@code nnc compile --weights} place it.
     */
    public static Predictor loadBundled(Class<?> typedClass) {
        String resource = typedClass.getSimpleName() + ".safetensors";
        String path = typedClass.getPackageName().replace('.', '/') + "/" + resource;
        ModelClass model = network(typedClass);
        try (InputStream in = typedClass.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("no weights bundled with " + typedClass.getName() + ": the class path has no "
                        + path + " (put the trained weights beside the .nn file, named like it, or call "
                        + typedClass.getSimpleName() + ".load(Path))");
            }
            return load(model, in, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** The network class the compiler emitted beside a typed class: {@code Name$Network}. */
    private static ModelClass network(Class<?> typedClass) {
        return ModelClass.load(typedClass.getName() + "$Network", typedClass.getClassLoader());
    }

    private static Predictor load(ModelClass model, InputStream in, String origin) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + origin, e);
        }
        try {
            return new Predictor(model, Safetensors.read(bytes, origin), origin);
        } catch (UserError e) {
            throw loadError(e);
        }
    }

    private static ModelLoadException loadError(UserError e) {
        return new ModelLoadException(e.getMessage().replaceFirst(": error: ", ": "));
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * Rows per part of a batch: at most {@code partRows}, and as many parts as make every
     * thread's share the same. Parts of the most rows left the threads uneven: 1000 rows
     * were eight parts of 120 and one of 40, five parts for one of two threads, four for
     * the other, which then waited for a part's time. An even number, so that the product
     * kernel's tiles of six, four and two rows leave no row to its one-row kernels.
     */
    static int balancedPartRows(int rows, int partRows, int threads) {
        if (rows == 0) return partRows; // no part at all
        long rounds = (rows + (long) threads * partRows - 1) / ((long) threads * partRows);
        long parts = rounds * threads;
        int size = (int) ((rows + parts - 1) / parts);
        return Math.min(partRows, Math.max(2, size + (size & 1)));
    }

    /** The outputs for one row of raw values, in this thread's buffer (valid until its next call). */
    float[] predict(float[] input) {
        checkWidth(input, -1);
        Buffers b = buffers.get();
        prepare(input, b.row, 0, -1);
        return b.one.predict(b.row, 1);
    }

    /**
     * Predicts every row, handing each row's outputs to {@code sink} as
     * {@code (outputs, offset, row)}. The rows are cut into parts ({@link #balancedPartRows}); the
     * calling thread and a helper per other core take parts until none is left (while
     * another thread's batch has the helpers, the caller takes every part). A row's
     * outputs do not depend on the part it falls in, nor on the thread. Of bad rows
     * (null, of the wrong width, with a NaN or an infinity), the first is reported.
     */
    void predict(float[][] rows, RowSink sink) {
        int size = balancedPartRows(rows.length, partRows, THREADS);
        int parts = (rows.length + size - 1) / size;
        AtomicInteger next = new AtomicInteger();
        IllegalArgumentException[] bad = new IllegalArgumentException[parts];
        Runnable work = () -> {
            for (int p; (p = next.getAndIncrement()) < parts; ) {
                try {
                    predictPart(rows, p * size, Math.min(rows.length, (p + 1) * size), sink);
                } catch (IllegalArgumentException e) {
                    bad[p] = e;
                }
            }
        };
        if (parts > 1 && THREADS > 1 && HELPERS.tryClaim()) {
            try {
                HELPERS.crew().runEverywhere(work);
            } finally {
                HELPERS.release();
            }
        } else {
            work.run();
        }
        // a bad row's exception reaches the caller as it was thrown: the first part's
        for (IllegalArgumentException e : bad) if (e != null) throw e;
    }

    private void predictPart(float[][] rows, int from, int to, RowSink sink) {
        Buffers b = buffers.get();
        Network network = b.part();
        // each row checked as its part prepares it, on the part's thread, which then reads it
        // from its cache (checked up front, on the caller's thread, the rows were read twice)
        for (int r = from; r < to; r++) {
            checkWidth(rows[r], r);
            prepare(rows[r], b.rows, (r - from) * inputWidth, r);
        }
        float[] out = network.predict(b.rows, to - from);
        for (int r = from; r < to; r++) sink.accept(out, (r - from) * outputWidth, r);
    }

    /**
     * Rows of a batch that gives each thread a part of {@link #WARM_UP_PART_ROWS} rows, as
     * a warm-up predicts ({@link Model#warmUp}): enough for the tallest tiles of the
     * compiled products, few enough to be quick before those are compiled.
     */
    int warmUpBatchRows() {
        return Math.min(partRows, WARM_UP_PART_ROWS) * THREADS;
    }

    private static final int WARM_UP_PART_ROWS = 14;

    /**
     * Raw rows for a warm-up that the preprocessing maps to values spread over [-2, 2]
     * (fixed ones, the same each time): rows of zeros would teach the compiler that every
     * rectifier is off and every class ties, and the first real rows after the warm-up
     * would undo what it compiled from that (1-3 ms for the first, 30-70 µs a row for
     * half a second).
     */
    float[][] warmUpRows(int count) {
        Rng rng = new Rng(20261129);
        float[][] rows = new float[count][inputWidth];
        for (float[] row : rows) {
            for (int j = 0; j < inputWidth; j++) {
                float z = (float) (4 * rng.nextDouble() - 2);
                float scale = preprocessor.scale()[j];
                row[j] = preprocessor.shift()[j] + (scale != 0 ? z / scale : 0);
            }
        }
        return rows;
    }

    /** Receives one row's outputs: {@code outputs[offset .. offset + width)} belong to row {@code row}. */
    interface RowSink {
        void accept(float[] outputs, int offset, int row);
    }

    private void checkWidth(float[] input, int row) {
        if (input == null) throw new IllegalArgumentException(where(row) + " is null");
        if (input.length != inputWidth) {
            throw new IllegalArgumentException(where(row) + ": expected " + inputWidth + " values for "
                    + spec.inputName() + " " + spec.inputShape() + ", got " + input.length);
        }
    }

    /** Scales a raw row into the network's input buffer, checking it for NaN and infinities on the way. */
    private void prepare(float[] input, float[] into, int offset, int row) {
        if (VECTOR) {
            if (!Rows.scale(input, preprocessor.shift(), preprocessor.scale(), into, offset)) checkFinite(input, row);
            return;
        }
        checkFinite(input, row);
        preprocessor.apply(input, into, offset);
    }

    private void checkFinite(float[] input, int row) {
        if (finite(input)) return;
        for (int j = 0; j < input.length; j++) {
            if (Float.isNaN(input[j]) || Float.isInfinite(input[j])) {
                throw new IllegalArgumentException(where(row) + ": " + spec.inputName() + "[" + j + "] is " + input[j]
                        + "; expected a finite number");
            }
        }
    }

    /** Whether every value is finite: v - v is 0 for those, NaN for NaN and the infinities (four sums in flight). */
    private static boolean finite(float[] x) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= x.length; j += 4) {
            s0 += x[j] - x[j];
            s1 += x[j + 1] - x[j + 1];
            s2 += x[j + 2] - x[j + 2];
            s3 += x[j + 3] - x[j + 3];
        }
        for (; j < x.length; j++) s0 += x[j] - x[j];
        return s0 + s1 + s2 + s3 == 0;
    }

    private String where(int row) {
        return spec.name() + ".predict" + (row >= 0 ? ": row " + row : "");
    }
}
