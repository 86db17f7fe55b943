package dev.nnc.bench;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.predict.Classifier;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.train.*;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * nnc's side of the workloads, measured in a JVM of its own per group (as each user's
 * model would run: in a shared JVM, the runtime's call sites see several model classes
 * and one workload's JIT profile slows the next). Each figure is printed as a line
 * {@code RESULT workload value unit note} for {@link Compare} to collect.
 */
final class NncWorkloads {
    /** FLOPs per sample of the 784-256-128-10 MLP's matrix products, forward. */
    static final double FORWARD_FLOPS = 2.0 * (784 * 256 + 256 * 128 + 128 * 10);
    /** Training: the forward products, every weight gradient, the input gradients of layers 2 and 3. */
    static final double TRAINING_FLOPS = 2 * FORWARD_FLOPS + 2.0 * (256 * 128 + 128 * 10);
    /** The CNN's products per sample: two convolutions and two dense layers. */
    static final double CNN_FORWARD_FLOPS = 2.0 * (26 * 26 * 32 * 9 + 11 * 11 * 64 * 288 + 1600 * 128 + 128 * 10);
    /** Forward, weight gradients, and input gradients of every layer but the first. */
    static final double CNN_TRAINING_FLOPS = 3 * CNN_FORWARD_FLOPS - 2.0 * 26 * 26 * 32 * 9;

    private final Path root;

    private NncWorkloads(Path root) {
        this.root = root;
    }

    /** {@code root epochs group}: prints the group's figures. */
    public static void main(String[] args) throws Exception {
        NncWorkloads w = new NncWorkloads(Path.of(args[0]));
        switch (args[2]) {
            case "fashion" -> w.fashion("fashion_mlp.nn", "fashion", Integer.parseInt(args[1]), new int[]{1, 2}, true);
            case "cnn" -> w.fashion("fashion_cnn.nn", "fashion_cnn", 2, new int[]{2}, false);
            case "small" -> w.small();
            case "allocation" -> w.allocation();
            default -> throw new IllegalArgumentException("no workload group " + args[2]);
        }
    }

    /** One figure, measured on {@code threads} threads. */
    static void result(String workload, double value, String unit, int threads, String note) {
        System.out.println("RESULT " + workload + "\t" + value + "\t" + unit + "\t" + threads + "\t" + note);
    }

    private static int predictionThreads() {
        return Integer.getInteger("nnc.threads", Runtime.getRuntime().availableProcessors());
    }

    private CompiledModel compile(String model) throws IOException {
        return Compiler.compile(SourceFile.read(root.resolve("bench/models").resolve(model)));
    }

    /**
     * One training epoch (the fastest of those run, on the better of the thread counts
     * given), then prediction from the trained weights: one sample and batches of 1000,
     * through the typed class an application uses, and (with {@code bare}) through the
     * bare network class. The workloads are named {@code prefix_train_epoch} and so on.
     */
    private void fashion(String file, String prefix, int epochs, int[] threadCounts, boolean bare) throws Exception {
        CompiledModel compiled = compile(file);
        ModelClass model = ModelLoader.load(compiled);
        ModelSpec spec = model.spec();
        Path base = root.resolve("bench/models");
        Dataset rawTest = DataSources.read(spec, spec.data().test(), base);
        Dataset train = DataSources.read(spec, spec.data().train(), base);
        Preprocessor prep = FeatureScaling.fit(spec.preprocessing(), train);
        train = FeatureScaling.apply(prep, train);
        Dataset test = FeatureScaling.apply(prep, rawTest);
        TrainSpec trainSpec = new TrainSpec(epochs, 64, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 7, 1);

        double best = Double.POSITIVE_INFINITY;
        Network trained = null;
        int bestThreads = 0;
        for (int threads : threadCounts) {
            Network net = model.create(64);
            initializeAsTorch(net, spec, 7);
            Trainer.Result r = new Trainer(net, spec, trainSpec, spec.learningRate()).fit(train, null, threads, s -> { });
            double fastest = r.history().stream().mapToDouble(EpochStats::seconds).min().orElseThrow();
            if (fastest < best) {
                best = fastest;
                bestThreads = threads;
            }
            trained = net;
        }
        double accuracy = Evaluation.of(trained, new Scores(spec), test).score();
        result(prefix + "_train_epoch", best, "s", bestThreads, String.format(Locale.ROOT,
                "%d thread(s), test accuracy %.4f after %d epochs", bestThreads, accuracy, epochs));

        if (bare) {
            Network one = model.create(1);
            copy(trained.parameters(), one.parameters());
            one.packWeights();
            result(prefix + "_infer_one_network", oneAtATime(test, x -> one.predict(x, 1)), "us", 1,
                    "bare Network class, preprocessed input");
        }

        Path weights = Files.createTempFile("fashion", ".safetensors");
        WeightsFile.save(weights, spec, trained, prep);
        Classifier typed = (Classifier) ModelLoader.typedClass(compiled).getMethod("load", Path.class).invoke(null, weights);
        Files.delete(weights);
        result(prefix + "_infer_one", oneAtATime(rawTest, x -> typed.predict(x)), "us", 1,
                "typed class: raw input, preprocessing, result object");

        if (bare) {
            Network batch = model.create(1000);
            copy(trained.parameters(), batch.parameters());
            batch.packWeights();
            float[] xb = new float[1000 * 784];
            float[] yb = new float[1000 * test.targetWidth()];
            result(prefix + "_infer_batch_network", throughput(() -> {
                for (int from = 0; from < test.rows(); from += 1000) {
                    test.copyRows(from, Math.min(1000, test.rows() - from), xb, yb);
                    batch.predict(xb, Math.min(1000, test.rows() - from));
                }
            }, test.rows()), "samples/s", 1, "bare Network class, one thread");
        }
        float[][][] batches = new float[(rawTest.rows() + 999) / 1000][][];
        float[] label = new float[rawTest.targetWidth()];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = new float[Math.min(1000, rawTest.rows() - b * 1000)][784];
            for (int r = 0; r < batches[b].length; r++) rawTest.copyRow(b * 1000 + r, batches[b][r], 0, label, 0);
        }
        result(prefix + "_infer_batch", throughput(() -> {
            for (float[][] rows : batches) typed.predict(rows);
        }, rawTest.rows()), "samples/s", predictionThreads(), "typed class, " + predictionThreads() + " thread(s)");
        // as OrtReference times ONNX Runtime: one batch, the same each time, so its rows are in the caches
        float[][] first = batches[0];
        result(prefix + "_infer_batch_same", throughput(() -> {
            for (int i = 0; i < batches.length; i++) typed.predict(first);
        }, batches.length * first.length), "samples/s", predictionThreads(),
                "typed class, " + predictionThreads() + " thread(s), one batch of " + first.length + " rows again and again (as OrtReference times ONNX Runtime)");
    }

    /**
     * Microseconds per sample, predicting the test images one at a time after two seconds
     * of warm-up, as the throughputs have: 5,000 calls (50 ms) were too few for C2 to
     * have compiled all of the typed class's path before the timing began.
     */
    private static double oneAtATime(Dataset data, java.util.function.Consumer<float[]> predict) {
        float[] x = new float[784];
        float[] y = new float[data.targetWidth()];
        long warm = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; System.nanoTime() < warm; i++) {
            data.copyRow(i % data.rows(), x, 0, y, 0);
            predict.accept(x);
        }
        int n = 30_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            data.copyRow(i % data.rows(), x, 0, y, 0);
            predict.accept(x);
        }
        return (System.nanoTime() - start) / 1e3 / n;
    }

    /**
     * Samples per second of a pass over {@code rows} samples, the best of ten after two
     * seconds of warm-up: with two cores, a JIT compiler thread still at work takes one
     * of them from the workers.
     */
    private static double throughput(Runnable pass, int rows) {
        long warm = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warm) pass.run();
        double best = 0;
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            pass.run();
            best = Math.max(best, rows / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }

    /**
     * The initial weights torch_reference.py's layers start from: PyTorch's default for
     * Linear and Conv2d, every weight and bias uniform in ±1/sqrt(fan-in) of its layer
     * (nnc's own default, He uniform before a rectifier and zero biases, trains this
     * network about a point of test accuracy further in two epochs, which would compare
     * the initialisations rather than the training). Other parameters keep nnc's.
     */
    static void initializeAsTorch(Network net, ModelSpec spec, long seed) {
        Initializer.initialize(net, spec, seed);
        Rng rng = new Rng(seed);
        float[][] parameters = net.parameters();
        List<ModelSpec.ParameterSpec> specs = spec.parameters();
        for (int i = 0; i < parameters.length; i++) {
            ModelSpec.ParameterSpec p = specs.get(i);
            // a dense or convolutional layer's weight, or the bias that follows it (not batch norm's)
            boolean weight = isDrawn(p);
            boolean bias = p.name().endsWith(".bias") && i > 0 && isDrawn(specs.get(i - 1))
                    && specs.get(i - 1).name().equals(p.name().replace(".bias", ".weight"));
            if (!weight && !bias) continue;
            double limit = 1 / Math.sqrt(weight ? p.fanIn() : specs.get(i - 1).fanIn());
            float[] w = parameters[i];
            for (int j = 0; j < w.length; j++) w[j] = (float) (limit * (2 * rng.nextDouble() - 1));
        }
    }

    private static boolean isDrawn(ModelSpec.ParameterSpec p) {
        return p.init() == ModelSpec.Init.HE_UNIFORM || p.init() == ModelSpec.Init.GLOROT_UNIFORM;
    }

    private static void copy(float[][] from, float[][] to) {
        for (int i = 0; i < from.length; i++) System.arraycopy(from[i], 0, to[i], 0, from[i].length);
    }

    /** 4-16-3 tanh, SGD momentum, batch 16 over 150 random samples: microseconds per step once warm. */
    private void small() throws IOException {
        ModelClass model = ModelLoader.load(compile("small.nn"));
        ModelSpec spec = model.spec();
        Rng rng = new Rng(1);
        float[] x = new float[150 * 4];
        float[] y = new float[150];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(3);
        Dataset data = new Dataset("random", x, y, 150, 4, 1);
        Network net = model.create(16);
        Initializer.initialize(net, spec, 1);
        TrainSpec warm = new TrainSpec(3000, 16, false, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 1, 1);
        new Trainer(net, spec, warm, spec.learningRate()).fit(data, null, 1, s -> { });
        Trainer.Result r = new Trainer(net, spec, spec.train(), spec.learningRate()).fit(data, null, 1, s -> { });
        double seconds = r.history().stream().mapToDouble(EpochStats::seconds).sum();
        int steps = r.history().size() * ((150 + 15) / 16);
        result("small_train_step", seconds / steps * 1e6, "us", 1, "");
    }

    /**
     * Bytes allocated by this thread per training step of the Fashion-MNIST network (the
     * trainer on one thread), once warm: epochs over 6,400 images until one allocates
     * less than a byte a step, and how many steps that took; and per prediction of one
     * sample, by the bare network and by the typed class (whose result object is the one
     * allocation it makes).
     */
    private void allocation() throws Exception {
        CompiledModel compiled = compile("fashion_mlp.nn");
        ModelClass model = ModelLoader.load(compiled);
        Dataset all = DataSources.read(model.spec(), model.spec().data().train(), root.resolve("bench/models"));
        int[] first = new int[6400];
        for (int i = 0; i < first.length; i++) first[i] = i;
        Preprocessor prep = FeatureScaling.fit(model.spec().preprocessing(), all);
        Dataset train = FeatureScaling.apply(prep, all.select(first));
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Network net = model.create(64);
        Initializer.initialize(net, model.spec(), 7);
        int epochs = 10;
        int steps = train.rows() / 64;
        TrainSpec spec = new TrainSpec(epochs, 64, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 7, 1);
        long id = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        int warm = 0;
        // epochs of 100 steps until one allocates less than a byte a step (or 30 calls of 10 epochs)
        for (int call = 0; call < 30 && best > 0; call++) {
            long[] counter = new long[epochs + 1];
            counter[0] = bean.getThreadAllocatedBytes(id);
            new Trainer(net, model.spec(), spec, 0.001).fit(train, null, 1, s -> counter[s.epoch()] = bean.getThreadAllocatedBytes(id));
            for (int e = 0; e < epochs && best > 0; e++) {
                best = Math.min(best, (counter[e + 1] - counter[e]) / steps);
                warm += steps;
            }
        }
        result("alloc_bytes_per_train_step", best, "bytes", 1, "once warm: after " + warm + " steps");

        Network one = model.create(1);
        float[] x = new float[784];
        result("alloc_bytes_per_prediction", allocated(bean, () -> one.predict(x, 1)), "bytes", 1, "bare Network class");
        Path weights = Files.createTempFile("fashion", ".safetensors");
        WeightsFile.save(weights, model.spec(), net, prep);
        Classifier typed = (Classifier) ModelLoader.typedClass(compiled).getMethod("load", Path.class).invoke(null, weights);
        Files.delete(weights);
        result("alloc_bytes_per_typed_prediction", allocated(bean, () -> typed.predict(x)), "bytes", 1,
                "typed class: the Classification and its copy of the 10 probabilities");
    }

    private static long allocated(com.sun.management.ThreadMXBean bean, Runnable prediction) {
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 50_000; i++) prediction.run();
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < 50_000; i++) prediction.run();
        return (bean.getThreadAllocatedBytes(id) - before) / 50_000;
    }
}
