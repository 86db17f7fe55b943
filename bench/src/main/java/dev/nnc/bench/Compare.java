package dev.nnc.bench;

import dev.nnc.runtime.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.*;

/**
 * bench/compare: nnc, PyTorch and ONNX Runtime Java on the workloads of ../shared/bench,
 * in one run. Each round runs nnc's workload groups (each in a JVM of its own), then
 * torch_reference.py, then OrtReference.java, the order turning each round so that no
 * side always runs on a machine warmed by another; the report gives each figure's
 * median over the rounds and its spread (smallest and largest), the ratios of the
 * medians, and nnc's GFLOP/s as a fraction of the FMA peak measured at the start. Before
 * and after each round's MLP workloads it measures how long the cores take to pass a cache
 * line back and forth ({@link CoreRoundTrip}), which the two-thread epoch depends on and
 * the host changes. Writes target/bench/compare.json.
 */
public final class Compare {
    private static final Processor PROCESSOR = Processor.here();
    /** PyTorch's figures on a quiet machine of this kind (../shared/bench/README.md): low, high. */
    private static final Map<String, double[]> TORCH_EXPECTED = Map.of(
            "fashion_train_epoch", new double[]{1.1, 1.3},
            "fashion_infer_one", new double[]{33, 87},
            "fashion_infer_batch", new double[]{250_000, 320_000},
            "small_train_step", new double[]{95, 180},
            "fashion_cnn_train_epoch", new double[]{22, 56},
            "fashion_cnn_infer_one", new double[]{880, 880},
            "fashion_cnn_infer_batch", new double[]{1_200, 2_000});
    /** ONNX Runtime Java's, from the same page. */
    private static final Map<String, double[]> ORT_EXPECTED = Map.of(
            "fashion_infer_one", new double[]{16, 17},
            "fashion_infer_batch", new double[]{620_000, 734_000},
            "fashion_cnn_infer_one", new double[]{34, 51},
            "fashion_cnn_infer_batch", new double[]{46_000, 64_000});
    /** FLOPs per unit of each workload's figure (per epoch, per sample, per step). */
    private static final Map<String, Double> FLOPS = Map.ofEntries(
            Map.entry("fashion_cnn_train_epoch", NncWorkloads.CNN_TRAINING_FLOPS * 60_000),
            Map.entry("fashion_cnn_infer_one", NncWorkloads.CNN_FORWARD_FLOPS),
            Map.entry("fashion_cnn_infer_batch", NncWorkloads.CNN_FORWARD_FLOPS),
            Map.entry("fashion_cnn_infer_batch_same", NncWorkloads.CNN_FORWARD_FLOPS),
            Map.entry("fashion_train_epoch", NncWorkloads.TRAINING_FLOPS * 60_000),
            Map.entry("fashion_infer_one", NncWorkloads.FORWARD_FLOPS),
            Map.entry("fashion_infer_one_network", NncWorkloads.FORWARD_FLOPS),
            Map.entry("fashion_infer_batch", NncWorkloads.FORWARD_FLOPS),
            Map.entry("fashion_infer_batch_same", NncWorkloads.FORWARD_FLOPS),
            Map.entry("fashion_infer_batch_network", NncWorkloads.FORWARD_FLOPS),
            Map.entry("small_train_step", 16 * (2.0 * 2 * (4 * 16 + 16 * 3) + 2.0 * 16 * 3)));

    /** Every value one side measured for a workload, round after round. */
    private static final class Samples {
        final List<Double> values = new ArrayList<>();
        String unit = "";
        String note = "";
        int threads = 1;

        double median() {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        List<Double> spread() {
            return List.of(Collections.min(values), Collections.max(values));
        }
    }

    private final Path root;
    private final int rounds;
    private final int epochs;
    private final boolean mlp;
    private final boolean cnn;
    private final Map<String, Samples> nnc = new LinkedHashMap<>();
    private final Map<String, Samples> torch = new LinkedHashMap<>();
    private final Map<String, Samples> ort = new LinkedHashMap<>();
    private double peakOneCore;
    private double peakAllCores;
    /** The core-to-core round trip before and after each round's MLP training, in ns. */
    private final List<List<Double>> roundTrips = new ArrayList<>();

    private Compare(Path root, int rounds, int epochs, String workloads) {
        this.root = root;
        this.rounds = rounds;
        this.epochs = epochs;
        this.mlp = !workloads.equals("cnn");
        this.cnn = !workloads.equals("mlp");
    }

    /** {@code root [rounds] [epochs] [mlp|cnn|all] [onnxruntime jar]}. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String workloads = args.length > 3 ? args[3] : "all";
        if (!List.of("mlp", "cnn", "all").contains(workloads)) {
            System.err.println("bench/compare: the workloads are mlp, cnn or all, not '" + workloads + "'");
            System.exit(2);
        }
        Path ortJar = args.length > 4 ? Path.of(args[4]) : null;
        new Compare(root, rounds, epochs, workloads).run(ortJar);
    }

    static boolean higherIsBetter(String workload) {
        return workload.contains("infer_batch");
    }

    private void run(Path ortJar) throws Exception {
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        if (!Files.isDirectory(data)) {
            System.err.println("bench/compare needs Debian's packages: apt-get install -y python3-torch dataset-fashion-mnist (no " + data + ")");
            System.exit(2);
        }
        Peers peers = new Peers(root.resolve("../shared/bench").normalize());
        boolean haveTorch = Peers.torchAvailable();
        if (!haveTorch) System.err.println("no PyTorch figures: /usr/bin/python3 cannot import torch (apt-get install -y python3-torch)");
        String blas = Peers.blasWarning();
        if (haveTorch && blas != null) System.out.println("WARNING: " + blas);
        Path onnx = root.resolve("target/bench/onnx");
        boolean haveOrt = haveTorch && ortJar != null && Files.isRegularFile(ortJar);
        if (haveOrt) peers.exportOnnx(onnx);
        else System.err.println("no ONNX Runtime figures: " + (ortJar == null ? "no onnxruntime jar given" : ortJar + " is missing"));

        peakOneCore = FmaPeak.gflops(1);
        peakAllCores = FmaPeak.gflops(Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%s; FMA peak measured now: %.0f GFLOP/s on one core, %.0f on %d%n", machine(),
                peakOneCore, peakAllCores, Runtime.getRuntime().availableProcessors());
        fork("allocation");
        for (int round = 0; round < rounds; round++) {
            System.out.println("round " + (round + 1) + " of " + rounds);
            List<String> sides = new ArrayList<>(List.of("nnc", "torch", "ort"));
            Collections.rotate(sides, -round);
            for (String side : sides) {
                switch (side) {
                    case "nnc" -> {
                        if (mlp) trainBetweenRoundTrips();
                        if (mlp) fork("small");
                        if (cnn) fork("cnn");
                    }
                    case "torch" -> {
                        if (haveTorch && mlp) add(torch, peers.torch(epochs));
                        if (haveTorch && cnn) add(torch, peers.torchCnn());
                    }
                    default -> { if (haveOrt) add(ort, peers.ort(ortJar, onnx)); }
                }
            }
        }
        report();
    }

    /** The MLP's group of workloads, with the cores' round trip measured before and after. */
    private void trainBetweenRoundTrips() throws IOException, InterruptedException {
        double before = CoreRoundTrip.nanos();
        fork("fashion");
        double after = CoreRoundTrip.nanos();
        if (Double.isNaN(before)) return;
        roundTrips.add(List.of(before, after));
        System.out.printf(Locale.ROOT, "  core-to-core round trip before and after: %.0f and %.0f ns%n", before, after);
    }

    private static String machine() {
        return PROCESSOR.name() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", Vector API "
                + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off");
    }

    private static void add(Map<String, Samples> side, Map<String, Peers.Figure> figures) {
        figures.forEach((workload, f) -> {
            Samples s = side.computeIfAbsent(workload, k -> new Samples());
            s.values.add(f.value());
            s.note = f.note();
        });
    }

    /** Runs one group of nnc's workloads in a JVM of its own and collects its RESULT lines. */
    private void fork(String group) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(Compare.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", jar,
                NncWorkloads.class.getName(), root.toString(), String.valueOf(epochs), group)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("RESULT ")) {
                    System.out.println(line);
                    continue;
                }
                String[] f = line.substring(7).split("\t", -1);
                Samples s = nnc.computeIfAbsent(f[0], k -> new Samples());
                s.values.add(Double.parseDouble(f[1]));
                s.unit = f[2];
                s.threads = Integer.parseInt(f[3]);
                s.note = f[4];
                System.out.printf(Locale.ROOT, "  nnc %s: %.4g %s%n", f[0], Double.parseDouble(f[1]), f[2]);
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("the " + group + " benchmark failed");
    }

    /** How many times better {@code a} is than {@code b}. */
    private static double ratio(String workload, double a, double b) {
        return higherIsBetter(workload) ? a / b : b / a;
    }

    private double gflops(String workload, double value) {
        Double flops = FLOPS.get(workload);
        if (flops == null) return Double.NaN;
        double perSecond = switch (nnc.get(workload).unit) {
            case "s" -> 1 / value;
            case "us" -> 1e6 / value;
            default -> value;
        };
        return flops * perSecond / 1e9;
    }

    private void report() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDate.now().toString());
        json.put("machine", machine());
        json.put("rounds", rounds);
        json.put("peak_gflops", peakAllCores);
        json.put("peak_gflops_one_core", peakOneCore);
        if (!roundTrips.isEmpty()) json.put("core_round_trip_ns", roundTrips);
        System.out.printf(Locale.ROOT, "%n%-30s %22s %22s %22s %8s %8s %8s %6s%n", "workload (median, min-max)",
                "nnc", "PyTorch", "ONNX Runtime", "vs torch", "vs ORT", "GFLOP/s", "peak");
        for (var e : nnc.entrySet()) {
            String w = e.getKey();
            Samples n = e.getValue();
            Samples t = torch.get(w);
            // OrtReference times its batches as nnc's _same workloads do: one batch, again and again
            Samples o = ort.get(w.endsWith("_same") ? w.substring(0, w.length() - "_same".length()) : w);
            double median = n.median();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("unit", n.unit);
            row.put("nnc", median);
            row.put("nnc_spread", n.spread());
            row.put("nnc_note", n.note);
            double speedup = t == null ? Double.NaN : ratio(w, median, t.median());
            double speedupOrt = o == null ? Double.NaN : ratio(w, median, o.median());
            if (t != null) {
                row.put("torch", t.median());
                row.put("torch_spread", t.spread());
                row.put("torch_note", t.note);
                row.put("speedup", speedup);
            }
            if (o != null) {
                row.put("ort", o.median());
                row.put("ort_spread", o.spread());
                row.put("ort_note", o.note);
                row.put("speedup_ort", speedupOrt);
            }
            double gflops = gflops(w, median);
            double peak = n.threads > 1 ? peakAllCores : peakOneCore;
            if (!Double.isNaN(gflops)) {
                row.put("gflops", gflops);
                row.put("peak_fraction", gflops / peak);
            }
            json.put(w, row);
            System.out.printf(Locale.ROOT, "%-30s %22s %22s %22s %8s %8s %8s %6s%n", w + " (" + n.unit + ")", cell(n),
                    cell(t), cell(o), times(speedup), times(speedupOrt),
                    Double.isNaN(gflops) ? "" : String.format(Locale.ROOT, "%.1f", gflops),
                    Double.isNaN(gflops) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak));
        }
        typedOverhead(json);
        notes();
        Path out = root.resolve("target/bench/compare.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.pretty(json) + "\n");
        System.out.println("wrote " + out);
    }

    private static String cell(Samples s) {
        if (s == null) return "-";
        List<Double> spread = s.spread();
        return String.format(Locale.ROOT, "%.4g (%.3g-%.3g)", s.median(), spread.get(0), spread.get(1));
    }

    /** Three significant digits: a ratio of 0.995 must not read as 1.00x against a bar of 1.0x. */
    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3gx", ratio);
    }

    /** What the typed class costs over the bare network class, per sample. */
    private void typedOverhead(Map<String, Object> json) {
        Samples typed = nnc.get("fashion_infer_one");
        Samples bare = nnc.get("fashion_infer_one_network");
        if (typed == null || bare == null) return;
        double overhead = typed.median() / bare.median() - 1;
        json.put("typed_overhead_one", overhead);
        System.out.printf(Locale.ROOT, "the typed class over the bare network, one sample: %+.1f%%%n", 100 * overhead);
    }

    private void notes() {
        nnc.forEach((w, s) -> { if (!s.note.isEmpty()) System.out.println("nnc " + w + ": " + s.note); });
        torch.forEach((w, s) -> System.out.println("torch " + w + ": " + s.note));
        ort.forEach((w, s) -> System.out.println("ort " + w + ": " + s.note));
        if (!roundTrips.isEmpty()) {
            System.out.printf(Locale.ROOT, "core-to-core round trip before and after each round's MLP workloads: %s ns "
                    + "(the two-thread epoch pays it for every line of weights that crosses between the cores; on the "
                    + "processor of ../shared/bench/README.md about 60-130 ns while the host keeps its two cores near "
                    + "each other, 350-620 while apart, changing from minute to minute)%n",
                    String.join(", ", roundTrips.stream().map(pair -> String.format(Locale.ROOT, "%.0f/%.0f",
                            pair.get(0), pair.get(1))).toList()));
        }
        if (!PROCESSOR.isThePagesProcessor() && !(torch.isEmpty() && ort.isEmpty())) {
            System.out.println("WARNING: ../shared/bench/README.md's figures are for an AMD EPYC of family 26 (Zen 5); this is "
                    + PROCESSOR.name() + ", where PyTorch and ONNX Runtime run at other speeds: compare the ratios of this "
                    + "run with runs on the same processor only");
            return;
        }
        warnWhenStraying("PyTorch", torch, TORCH_EXPECTED);
        warnWhenStraying("ONNX Runtime", ort, ORT_EXPECTED);
    }

    /** A peer's median more than 2x from what ../shared/bench/README.md gives: its figures, and so the ratios, are suspect. */
    private static void warnWhenStraying(String peer, Map<String, Samples> figures, Map<String, double[]> expectedRanges) {
        figures.forEach((w, s) -> {
            double[] expected = expectedRanges.get(w);
            if (expected == null || (s.median() >= expected[0] / 2 && s.median() <= expected[1] * 2)) return;
            boolean better = higherIsBetter(w) ? s.median() > expected[1] * 2 : s.median() < expected[0] / 2;
            System.out.printf(Locale.ROOT, "WARNING: %s's %s (%.4g) is more than 2x %s than the %.4g-%.4g that "
                    + "../shared/bench/README.md gives for this machine: %s%n", peer, w, s.median(),
                    better ? "better" : "worse", expected[0], expected[1], better
                            ? "the page's figure may come from another setup (PyTorch on the reference BLAS, say)"
                            : "something else was running; measure again");
        });
    }
}
