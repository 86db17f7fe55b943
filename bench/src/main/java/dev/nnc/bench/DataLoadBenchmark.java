package dev.nnc.bench;

import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.CsvReader;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.json.Json;
import dev.nnc.runtime.spec.ModelSpec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/data: how fast nnc loads a large CSV file (2,000,000 rows of 20 features and a
 * label by default), the first time (parsed, and its cache written) and later (read
 * back from the cache), against pandas' read_csv on the same file when python3-pandas
 * is installed; interleaved over rounds, medians and spreads. Writes
 * target/bench/data.json.
 */
public final class DataLoadBenchmark {
    private static final String MODEL = """
            model Table {
                input  x: [20]
                target label: class[3]
                output p = x -> dense(3) -> softmax
                loss      cross_entropy(p, label)
                optimizer sgd()
            }
            """;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createDirectories(root.resolve("target/bench/data"));
        Path csv = dir.resolve("table-" + rows + ".csv");
        if (!Files.exists(csv)) generate(csv, rows);
        double megabytes = Files.size(csv) / 1e6;
        ModelSpec spec = ModelLoader.load(dev.nnc.compiler.Compiler.compile(SourceFile.of("table.nn", MODEL))).spec();
        Path cache = csv.resolveSibling("." + csv.getFileName() + ".nnc-cache");
        boolean pandas = Peers.python("import pandas");

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Files.deleteIfExists(cache);
            seconds.computeIfAbsent("nnc_first_load", k -> new ArrayList<>()).add(load(spec, csv, rows));
            seconds.computeIfAbsent("nnc_cached_load", k -> new ArrayList<>()).add(load(spec, csv, rows));
            if (pandas) seconds.computeIfAbsent("pandas_read_csv", k -> new ArrayList<>()).add(pandas(csv));
        }
        System.out.printf(Locale.ROOT, "%s: %,d rows, %.0f MB; %d rounds; %s%n", csv, rows, megabytes, rounds,
                pandas ? "pandas " + Peers.pythonOutput("import pandas; print(pandas.__version__)") : "pandas not installed");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file_mb", megabytes);
        report.put("rows", rows);
        seconds.forEach((name, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            System.out.printf(Locale.ROOT, "  %-16s %6.2f s median (%.2f-%.2f)  %5.0f MB/s%n", name, median, sorted.get(0),
                    sorted.get(sorted.size() - 1), megabytes / median);
            report.put(name, Map.of("seconds", median, "min", sorted.get(0), "max", sorted.get(sorted.size() - 1),
                    "mb_per_s", megabytes / median));
        });
        if (pandas) {
            double ratio = median(seconds.get("pandas_read_csv")) / median(seconds.get("nnc_first_load"));
            System.out.printf(Locale.ROOT, "  first load: %.1fx pandas' throughput%n", ratio);
            report.put("first_load_vs_pandas", ratio);
        }
        Files.writeString(root.resolve("target/bench/data.json"), Json.pretty(report) + "\n");
    }

    private static double load(ModelSpec spec, Path csv, int rows) {
        long start = System.nanoTime();
        Dataset data = new CsvReader(spec, "label").read(csv);
        double s = (System.nanoTime() - start) / 1e9;
        if (data.rows() != rows) throw new IllegalStateException(data.rows() + " rows");
        return s;
    }

    private static double pandas(Path csv) throws IOException, InterruptedException {
        String out = Peers.pythonOutput("import time, pandas\nt = time.perf_counter()\npandas.read_csv('" + csv
                + "')\nprint(time.perf_counter() - t)");
        return Double.parseDouble(out.strip());
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** Gaussian features written with six decimals, a label from their weighted sum: the kind of table. */
    private static void generate(Path csv, int rows) throws IOException {
        Rng rng = new Rng(1);
        Path partial = csv.resolveSibling(csv.getFileName() + ".partial");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < 20; j++) line.append('f').append(j).append(',');
            out.write(line.append("label\n").toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                double sum = 0;
                for (int j = 0; j < 20; j++) {
                    double v = rng.nextGaussian();
                    sum += v * (j % 5 - 2);
                    line.append(String.format(Locale.ROOT, "%.6f,", v));
                }
                out.write(line.append(sum < -2 ? 0 : sum < 2 ? 1 : 2).append('\n').toString());
            }
        }
        Files.move(partial, csv);
    }
}
