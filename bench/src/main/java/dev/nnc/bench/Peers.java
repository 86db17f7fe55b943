package dev.nnc.bench;

import dev.nnc.runtime.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers' sides of the comparison, each run as the shared bench scripts say:
 * PyTorch's {@code torch_reference.py} and ONNX Runtime Java's {@code OrtReference.java}.
 * Both print one JSON object per workload and thread setting; the best setting of each
 * workload is the peer's figure.
 */
final class Peers {
    /** One peer's figure: the best thread setting's value, and a note (threads, accuracy). */
    record Figure(double value, String note) {}

    private final Path shared;

    Peers(Path shared) {
        this.shared = shared;
    }

    static boolean torchAvailable() {
        return python("import torch");
    }

    /** Whether Debian's python3 runs this code without an error (the import of a package, say). */
    static boolean python(String code) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** What python3 prints running this code; an IOException when it fails. */
    static String pythonOutput(String code) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("python3 failed: " + out);
        return out.strip();
    }

    /**
     * Debian's PyTorch multiplies matrices through whichever libblas.so.3 is selected;
     * with the reference BLAS (no libopenblas0 installed) it runs about ten times slower
     * than the figures ../shared/bench/README.md gives, and any ratio against it flatters nnc.
     */
    static String blasWarning() {
        Path link = Path.of("/etc/alternatives/libblas.so.3-x86_64-linux-gnu");
        try {
            Path target = Files.readSymbolicLink(link);
            return target.toString().contains("openblas") || target.toString().contains("blis") ? null
                    : "PyTorch uses the reference BLAS (" + target + "): apt-get install -y libopenblas0-pthread";
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    Map<String, Figure> torch(int epochs) throws IOException, InterruptedException {
        return run("torch", List.of("/usr/bin/python3", shared.resolve("torch_reference.py").toString(),
                "--epochs", String.valueOf(epochs)));
    }

    /**
     * The CNN workloads: the better of two epochs, on two threads only (PyTorch's better
     * setting; one thread takes over a minute an epoch).
     */
    Map<String, Figure> torchCnn() throws IOException, InterruptedException {
        return run("torch", List.of("/usr/bin/python3", shared.resolve("torch_reference.py").toString(),
                "--only", "cnn", "--threads", "2", "--epochs", "2"));
    }

    /** Writes mlp.onnx and cnn.onnx (random weights: speed does not depend on them) into {@code dir}. */
    void exportOnnx(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", shared.resolve("torch_reference.py").toString(),
                "--export-onnx", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !Files.exists(dir.resolve("mlp.onnx"))) throw new IOException("ONNX export failed:\n" + out);
    }

    Map<String, Figure> ort(Path onnxRuntimeJar, Path onnxDir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return run("ort", List.of(java, "-cp", onnxRuntimeJar.toString(), shared.resolve("OrtReference.java").toString(),
                onnxDir.toString()));
    }

    private static Map<String, Figure> run(String peer, List<String> command) throws IOException, InterruptedException {
        Map<String, Figure> best = new LinkedHashMap<>();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("{")) continue;
                System.out.println("  " + peer + " " + line);
                Map<String, Object> o = Json.parseObject(line);
                String workload = (String) o.get("workload");
                double value = ((Json.Number) o.get("value")).asDouble();
                boolean higher = Compare.higherIsBetter(workload);
                String note = ((Json.Number) o.get("threads")).text() + " thread(s)"
                        + (o.containsKey("test_accuracy") ? ", test accuracy " + ((Json.Number) o.get("test_accuracy")).text() : "");
                Figure previous = best.get(workload);
                if (previous == null || (higher ? value > previous.value() : value < previous.value())) {
                    best.put(workload, new Figure(value, note));
                }
            }
        }
        if (p.waitFor() != 0) System.err.println(peer + " exited with status " + p.exitValue());
        return best;
    }
}
