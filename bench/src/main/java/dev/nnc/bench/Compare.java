package dev.nnc.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.train.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * bench/compare: the four workloads of ../shared/bench on nnc-compiled models, through
 * the compiled classes and the runtime a user gets (Trainer, predict), then PyTorch's
 * torch_reference.py in the same run; a table of both and their ratio, and
 * target/bench/compare.json. Speedup > 1 means nnc is faster.
 */
public final class Compare {
    private record Figure(double value, String unit, boolean higherIsBetter, String note) {}

    private final Map<String, Figure> nnc = new LinkedHashMap<>();
    private final Map<String, Figure> torch = new LinkedHashMap<>();
    private long allocationPerStep = -1;
    private long allocationPerPrediction = -1;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (args.length > 2) {
            // a forked JVM that measures one group of workloads and prints them as lines
            Compare c = new Compare();
            switch (args[2]) {
                case "fashion" -> c.fashion(root, epochs);
                case "small" -> c.small(root);
                default -> c.allocationPerStep = c.allocation(root);
            }
            c.nnc.forEach((k, f) -> System.out.println("RESULT " + k + "\t" + f.value + "\t" + f.unit + "\t"
                    + f.higherIsBetter + "\t" + f.note));
            if (c.allocationPerStep >= 0) {
                System.out.println("ALLOCATION " + c.allocationPerStep + " " + c.allocationPerPrediction);
            }
            return;
        }
        new Compare().run(root, epochs);
    }

    /**
     * Each group of workloads runs in a JVM of its own, as each user's model would: in a
     * shared one, the runtime's call sites see several model classes and the JIT's
     * profile of one workload slows the next.
     */
    private void fork(Path root, int epochs, String group) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(Compare.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", jar, Compare.class.getName(),
                root.toString(), String.valueOf(epochs), group).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    String[] f = line.substring(7).split("\t", -1);
                    nnc.put(f[0], new Figure(Double.parseDouble(f[1]), f[2], Boolean.parseBoolean(f[3]), f[4]));
                } else if (line.startsWith("ALLOCATION ")) {
                    String[] bytes = line.substring(11).split(" ");
                    allocationPerStep = Long.parseLong(bytes[0]);
                    allocationPerPrediction = Long.parseLong(bytes[1]);
                } else {
                    System.out.println(line);
                }
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("the " + group + " benchmark failed");
    }

    private void run(Path root, int epochs) throws Exception {
        Path torchScript = root.resolve("../shared/bench/torch_reference.py").normalize();
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        boolean haveTorch = torchAvailable();
        if (!Files.isDirectory(data) || !haveTorch) {
            System.err.println("bench/compare needs Debian's packages: apt-get install -y python3-torch dataset-fashion-mnist"
                    + (Files.isDirectory(data) ? "" : " (no " + data + ")") + (haveTorch ? "" : " (no torch for /usr/bin/python3)"));
            if (!Files.isDirectory(data)) System.exit(2);
        }
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", Vector API " + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off"));
        fork(root, epochs, "fashion");
        fork(root, epochs, "small");
        fork(root, epochs, "allocation");
        if (haveTorch && Files.exists(torchScript)) torch(torchScript, epochs);
        else System.err.println("no PyTorch figures: " + torchScript + " or torch is missing");
        report(root);
    }

    private static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static ModelClass compile(Path file) throws IOException {
        return ModelLoader.load(dev.nnc.compiler.Compiler.compile(SourceFile.read(file)));
    }

    void fashion(Path root, int epochs) throws IOException {
        ModelClass model = compile(root.resolve("bench/models/fashion_mlp.nn"));
        ModelSpec spec = model.spec();
        Path base = root.resolve("bench/models");
        Dataset train = DataSources.read(spec, spec.data().train(), base);
        Dataset test = DataSources.read(spec, spec.data().test(), base);
        Preprocessor prep = FeatureScaling.fit(spec.preprocessing(), train);
        train = FeatureScaling.apply(prep, train);
        test = FeatureScaling.apply(prep, test);
        TrainSpec trainSpec = new TrainSpec(epochs, 64, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 7);

        double best = Double.POSITIVE_INFINITY;
        Network trained = null;
        int bestThreads = 0;
        for (int threads : new int[]{1, 2}) {
            Network net = model.create(64);
            Initializer.initialize(net, spec, 7);
            Trainer.Result r = new Trainer(net, spec, trainSpec, spec.learningRate()).fit(train, null, threads, s ->
                    System.out.printf(Locale.ROOT, "  nnc fashion epoch %d (%d thread%s): %.3f s, loss %.4f%n",
                            s.epoch(), threads, threads > 1 ? "s" : "", s.seconds(), s.loss()));
            double fastest = r.history().stream().mapToDouble(EpochStats::seconds).min().orElseThrow();
            if (fastest < best) {
                best = fastest;
                bestThreads = threads;
            }
            trained = net;
        }
        double accuracy = Evaluation.of(trained, new Scores(spec), test).score();
        nnc.put("fashion_train_epoch", new Figure(best, "s", false,
                String.format(Locale.ROOT, "%d thread(s), test accuracy %.4f after %d epochs", bestThreads, accuracy, epochs)));

        float[][] weights = trained.parameters();
        Network one = model.create(1);
        copy(weights, one.parameters());
        float[] x = new float[784];
        for (int i = 0; i < 2000; i++) {
            System.arraycopy(test.x(), (i % test.rows()) * 784, x, 0, 784);
            one.predict(x, 1);
        }
        int n = 20000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            System.arraycopy(test.x(), (i % test.rows()) * 784, x, 0, 784);
            one.predict(x, 1);
        }
        nnc.put("fashion_infer_one", new Figure((System.nanoTime() - start) / 1e3 / n, "us", false, ""));

        Network batch = model.create(1000);
        copy(weights, batch.parameters());
        float[] xb = new float[1000 * 784];
        for (int rep = 0; rep < 3; rep++) predictAll(batch, test, xb);
        start = System.nanoTime();
        for (int rep = 0; rep < 5; rep++) predictAll(batch, test, xb);
        nnc.put("fashion_infer_batch", new Figure(5.0 * test.rows() / ((System.nanoTime() - start) / 1e9), "samples/s", true, ""));
    }

    private static void predictAll(Network net, Dataset test, float[] x) {
        for (int from = 0; from < test.rows(); from += 1000) {
            int rows = Math.min(1000, test.rows() - from);
            System.arraycopy(test.x(), from * 784, x, 0, rows * 784);
            net.predict(x, rows);
        }
    }

    private static void copy(float[][] from, float[][] to) {
        for (int i = 0; i < from.length; i++) System.arraycopy(from[i], 0, to[i], 0, from[i].length);
    }

    /**
     * Bytes allocated by this thread per training step of the Fashion-MNIST network (the
     * trainer on one thread, batches of 64 in two parts), once warm: one run of 40 epochs
     * over 6,400 images, the allocation counter read at the end of each epoch, and the
     * smallest of the last ten epochs' figures (the last kernels reach the JIT late).
     */
    private long allocation(Path root) throws IOException {
        ModelClass model = compile(root.resolve("bench/models/fashion_mlp.nn"));
        Dataset all = DataSources.read(model.spec(), model.spec().data().train(), root.resolve("bench/models"));
        int[] first = new int[6400];
        for (int i = 0; i < first.length; i++) first[i] = i;
        Dataset train = FeatureScaling.apply(FeatureScaling.fit(model.spec().preprocessing(), all), all.select(first));
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Network net = model.create(64);
        Initializer.initialize(net, model.spec(), 7);
        int epochs = 40;
        TrainSpec spec = new TrainSpec(epochs, 64, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 7);
        long id = Thread.currentThread().getId();
        long[] counter = new long[epochs + 1];
        counter[0] = bean.getThreadAllocatedBytes(id);
        new Trainer(net, model.spec(), spec, 0.001).fit(train, null, 1,
                s -> counter[s.epoch()] = bean.getThreadAllocatedBytes(id));
        long best = Long.MAX_VALUE;
        for (int e = epochs - 10; e < epochs; e++) best = Math.min(best, (counter[e + 1] - counter[e]) / (train.rows() / 64));

        Network one = model.create(1);
        float[] x = new float[784];
        for (int i = 0; i < 50_000; i++) one.predict(x, 1);
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < 50_000; i++) one.predict(x, 1);
        allocationPerPrediction = (bean.getThreadAllocatedBytes(id) - before) / 50_000;
        return best;
    }

    private void small(Path root) throws IOException {
        ModelClass model = compile(root.resolve("bench/models/small.nn"));
        ModelSpec spec = model.spec();
        Rng rng = new Rng(1);
        float[] x = new float[150 * 4];
        float[] y = new float[150];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(3);
        Dataset data = new Dataset("random", x, y, 150, 4, 1);
        Network net = model.create(16);
        Initializer.initialize(net, spec, 1);
        TrainSpec warm = new TrainSpec(3000, 16, false, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 1);
        new Trainer(net, spec, warm, spec.learningRate()).fit(data, null, 1, s -> { });
        Trainer.Result r = new Trainer(net, spec, spec.train(), spec.learningRate()).fit(data, null, 1, s -> { });
        double seconds = r.history().stream().mapToDouble(EpochStats::seconds).sum();
        int steps = r.history().size() * ((150 + 15) / 16);
        nnc.put("small_train_step", new Figure(seconds / steps * 1e6, "us", false, ""));
    }

    private void torch(Path script, int epochs) throws IOException, InterruptedException {
        System.out.println("running " + script + " ...");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--epochs", String.valueOf(epochs))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("{")) continue;
                System.out.println("  torch " + line);
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                String workload = o.get("workload").getAsString();
                double value = o.get("value").getAsDouble();
                boolean higher = workload.equals("fashion_infer_batch");
                String note = o.get("threads").getAsInt() + " thread(s)"
                        + (o.has("test_accuracy") ? ", test accuracy " + o.get("test_accuracy").getAsDouble() : "");
                Figure previous = torch.get(workload);
                if (previous == null || (higher ? value > previous.value : value < previous.value)) {
                    torch.put(workload, new Figure(value, o.get("unit").getAsString(), higher, note));
                }
            }
        }
        p.waitFor();
    }

    private void report(Path root) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        System.out.printf("%n%-22s %14s %14s %10s  %s%n", "workload", "nnc", "PyTorch", "speedup", "unit");
        for (var e : nnc.entrySet()) {
            Figure n = e.getValue();
            Figure t = torch.get(e.getKey());
            double speedup = t == null ? Double.NaN : n.higherIsBetter ? n.value / t.value : t.value / n.value;
            System.out.printf(Locale.ROOT, "%-22s %14.4g %14s %9.2fx  %s%n", e.getKey(), n.value,
                    t == null ? "-" : String.format(Locale.ROOT, "%.4g", t.value), speedup, n.unit);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("nnc", n.value);
            row.put("torch", t == null ? null : t.value);
            row.put("unit", n.unit);
            row.put("speedup", Double.isNaN(speedup) ? null : speedup);
            row.put("nnc_note", n.note);
            if (t != null) row.put("torch_note", t.note);
            json.put(e.getKey(), row);
        }
        json.put("alloc_bytes_per_train_step", allocationPerStep);
        json.put("alloc_bytes_per_prediction", allocationPerPrediction);
        System.out.println("allocation per training step: " + allocationPerStep + " bytes, per prediction of one sample: "
                + allocationPerPrediction + " bytes");
        nnc.forEach((k, f) -> { if (!f.note.isEmpty()) System.out.println("nnc " + k + ": " + f.note); });
        torch.forEach((k, f) -> System.out.println("torch " + k + ": " + f.note));
        Path out = root.resolve("target/bench/compare.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n");
        System.out.println("wrote " + out);
    }
}
