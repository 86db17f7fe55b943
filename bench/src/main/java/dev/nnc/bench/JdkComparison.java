package dev.nnc.bench;

import dev.nnc.runtime.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/jdks: nnc's own workloads (those of bench/compare) on two JDKs, each group in a
 * JVM of its own, the JDKs alternating within every round so that neither always runs on
 * a machine the other warmed; medians, spreads and the ratio of the medians. Writes
 * target/bench/jdks.json.
 */
public final class JdkComparison {
    private static final List<String> GROUPS = List.of("fashion", "cnn", "small");
    /**
     * The MLP's epochs per JVM, the fastest counting, as in bench/compare's runs: a JVM's
     * second epoch is not always steady yet (with two, a run of 2026-11-29 had JDK 17's best
     * epochs at 0.58-0.64 s and JDK 25's at 0.43-0.59, where fresh JVMs of each then took
     * 0.38-0.62 s for their second and third epochs alike).
     */
    private static final int EPOCHS = 3;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Path> jdks = List.of(Path.of(args[2]), Path.of(args[3]));
        Map<Path, Map<String, List<Double>>> figures = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (Path jdk : jdks) figures.put(jdk, new LinkedHashMap<>());
        for (int round = 0; round < rounds; round++) {
            for (String group : GROUPS) {
                List<Path> order = round % 2 == 0 ? jdks : List.of(jdks.get(1), jdks.get(0));
                for (Path jdk : order) run(root, jdk, group, figures.get(jdk), units);
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        String processor = Processor.here().name();
        report.put("processor", processor);
        System.out.println(processor);
        System.out.printf(Locale.ROOT, "%-28s %18s %18s %8s%n", "workload", name(jdks.get(0)), name(jdks.get(1)), "ratio");
        for (String workload : units.keySet()) {
            List<Double> a = figures.get(jdks.get(0)).get(workload);
            List<Double> b = figures.get(jdks.get(1)).get(workload);
            if (a == null || b == null) continue;
            double ma = median(a);
            double mb = median(b);
            boolean higherIsBetter = units.get(workload).endsWith("/s");
            double ratio = higherIsBetter ? mb / ma : ma / mb; // above 1: the second JDK is faster
            System.out.printf(Locale.ROOT, "%-28s %10.4g %-7s %10.4g %-7s %7.2fx%n", workload, ma, units.get(workload), mb,
                    units.get(workload), ratio);
            report.put(workload, Map.of(name(jdks.get(0)), a, name(jdks.get(1)), b, "unit", units.get(workload),
                    "second_faster_by", ratio));
        }
        Files.createDirectories(root.resolve("target/bench"));
        Files.writeString(root.resolve("target/bench/jdks.json"), Json.pretty(report) + "\n");
    }

    private static String name(Path jdk) {
        return jdk.getFileName().toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void run(Path root, Path jdk, String group, Map<String, List<Double>> figures, Map<String, String> units)
            throws IOException, InterruptedException {
        String jar = Path.of(JdkComparison.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        Process p = new ProcessBuilder(jdk.resolve("bin/java").toString(), "--add-modules", "jdk.incubator.vector", "-cp", jar,
                NncWorkloads.class.getName(), root.toString(), String.valueOf(EPOCHS), group).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) lines.add(line);
        }
        if (p.waitFor() != 0) throw new IllegalStateException(group + " failed on " + jdk + ": " + lines);
        for (String line : lines) {
            if (!line.startsWith("RESULT ")) continue;
            String[] f = line.substring(7).split("\t", -1);
            figures.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Double.parseDouble(f[1]));
            units.put(f[0], f[2]);
            System.out.printf(Locale.ROOT, "  %s %s: %.4g %s%n", name(jdk), f[0], Double.parseDouble(f[1]), f[2]);
        }
    }
}
