package dev.nnc.tests;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.train.Initializer;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.WeightsFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A CNN's weights file, written by nnc, loads into the PyTorch network of the same
 * architecture (keys renamed as the README says) and gives the same predictions, with
 * and without batch norms. Runs
 * where Debian's python3-torch is installed; skipped, saying so, elsewhere.
 */
class TorchInteropTest {
    private static final String PYTHON = "/usr/bin/python3";

    private static final String CNN = """
            model SmallCnn {
                input  image: [12, 12, 2]
                target kind: class[4]
                output p = image -> conv2d(16, kernel = 3) -> relu -> maxpool(2)
                                 -> conv2d(32, kernel = 3) -> relu -> maxpool(2)
                                 -> flatten -> dense(24) -> relu -> dropout(0.3) -> dense(4) -> softmax
                loss      cross_entropy(p, kind)
                optimizer adam()
            }
            """;

    /** The same with a batch norm after each convolution and after the first dense layer. */
    private static final String NORMALIZED_CNN = """
            model NormalizedCnn {
                input  image: [12, 12, 2]
                target kind: class[4]
                output p = image -> conv2d(16, kernel = 3) -> batch_norm -> relu -> maxpool(2)
                                 -> conv2d(32, kernel = 3) -> batch_norm(momentum = 0.8) -> relu -> maxpool(2)
                                 -> flatten -> dense(24) -> batch_norm -> relu -> dropout(0.3) -> dense(4) -> softmax
                loss      cross_entropy(p, kind)
                optimizer adam()
            }
            """;

    @Test
    void pytorchLoadsTheWeightsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        predictionsAgree(CNN, false, dir);
    }

    /** After a few training steps, so that the running statistics are the batches' and not their initial 0 and 1. */
    @Test
    void pytorchLoadsBatchNormsWithTheirRunningStatistics(@TempDir Path dir) throws Exception {
        predictionsAgree(NORMALIZED_CNN, true, dir);
    }

    private static final String NORMALIZED_STEP = """
            model NormStep {
                input  image: [6, 6, 2]
                target kind: class[3]
                output p = image -> conv2d(4, kernel = 3) -> batch_norm(momentum = 0.8) -> relu -> flatten -> dense(3) -> softmax
                loss      cross_entropy(p, kind)
                optimizer sgd(lr = 0.1)
            }
            """;

    /**
     * One training step of a batch of 16 (one part, so normalized by the whole batch's
     * statistics as PyTorch's train() mode does) gives the same parameters and running
     * statistics as PyTorch's step from the same weights.
     */
    @Test
    void aTrainingStepThroughABatchNormIsPyTorchs(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(torchInstalled(), "skipped: " + PYTHON + " cannot import torch (apt-get install python3-torch)");
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of("norm_step.nn", NORMALIZED_STEP));
        int rows = 16;
        Random random = new Random(6);
        Network network = network(compiled, rows, 4, random);
        Path weights = dir.resolve("weights.safetensors");
        WeightsFile.save(weights, compiled.spec(), network, Preprocessor.none(compiled.spec().inputWidth()));
        int width = compiled.spec().inputWidth();
        float[] x = new float[rows * width];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) (1 + random.nextGaussian());
        for (int r = 0; r < rows; r++) y[r] = random.nextInt(3);
        Path inputs = Files.writeString(dir.resolve("inputs.csv"), csv(x, rows, width));
        Path labels = Files.writeString(dir.resolve("labels.csv"), csv(y, rows, 1));
        network.trainStep(x, y, rows, 0.1);

        List<String> torch = runPython("/torch_bn_step.py", dir, weights.toString(), inputs.toString(), labels.toString(),
                "0.1", "0.8");
        assertEquals(compiled.spec().parameters().size(), torch.size(), String.join("\n", torch));
        for (String line : torch) {
            String name = line.substring(0, line.indexOf(' '));
            String[] values = line.substring(line.indexOf(' ') + 1).split(",");
            int t = compiled.spec().parameters().stream().map(p -> p.name()).toList().indexOf(name);
            float[] nnc = network.parameters()[t];
            assertEquals(values.length, nnc.length, name);
            for (int i = 0; i < nnc.length; i++) {
                double expected = Double.parseDouble(values[i]);
                assertEquals(expected, nnc[i], 1e-5 * (1 + Math.abs(expected)), name + "[" + i + "]");
            }
        }
    }

    /** Initial weights from the seed, each moved a little at random (so that no bias is zero). */
    private static Network network(CompiledModel compiled, int rows, long seed, Random random) {
        Network network = ModelLoader.load(compiled).create(rows);
        Initializer.initialize(network, compiled.spec(), seed);
        for (float[] p : network.parameters()) {
            for (int i = 0; i < p.length; i++) p[i] += (float) (0.05 * random.nextGaussian());
        }
        return network;
    }

    private static String csv(float[] values, int rows, int width) {
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) csv.append(i == 0 ? "" : ",").append(values[r * width + i]);
            csv.append('\n');
        }
        return csv.toString();
    }

    private static void predictionsAgree(String program, boolean normalized, Path dir) throws Exception {
        Assumptions.assumeTrue(torchInstalled(), "skipped: " + PYTHON + " cannot import torch (apt-get install python3-torch)");
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of("small_cnn.nn", program));
        int rows = 7;
        Random random = new Random(5);
        Network network = network(compiled, rows, 3, random);
        for (int step = 0; normalized && step < 5; step++) {
            float[] x = new float[rows * compiled.spec().inputWidth()];
            float[] y = new float[rows];
            for (int i = 0; i < x.length; i++) x[i] = 2 * random.nextFloat() + 1;
            for (int r = 0; r < rows; r++) y[r] = random.nextInt(4);
            network.trainStep(x, y, rows, 0.01);
        }
        Path weights = dir.resolve("weights.safetensors");
        WeightsFile.save(weights, compiled.spec(), network, Preprocessor.none(compiled.spec().inputWidth()));

        int width = compiled.spec().inputWidth();
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) x[i] = random.nextFloat();
        Path inputs = Files.writeString(dir.resolve("inputs.csv"), csv(x, rows, width));
        float[] nnc = network.predict(x, rows).clone();

        List<String> torch = runTorch(weights, inputs, dir, normalized);
        assertEquals(rows, torch.size(), String.join("\n", torch));
        for (int r = 0; r < rows; r++) {
            String[] values = torch.get(r).split(",");
            assertEquals(4, values.length);
            for (int j = 0; j < 4; j++) {
                assertEquals(Double.parseDouble(values[j]), nnc[r * 4 + j], 1e-4, "row " + r + " class " + j);
            }
        }
    }

    private static boolean torchInstalled() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> runTorch(Path weights, Path inputs, Path dir, boolean normalized) throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of(weights.toString(), inputs.toString(), "12", "12", "2"));
        if (normalized) arguments.add("bn");
        return runPython("/torch_cnn.py", dir, arguments.toArray(String[]::new));
    }

    /** Runs a script of the test resources; its output lines. */
    private static List<String> runPython(String resource, Path dir, String... arguments) throws Exception {
        Path script = dir.resolve(resource.substring(1));
        for (String file : List.of(resource, "/safetensors_reader.py")) {
            try (var in = TorchInteropTest.class.getResourceAsStream(file)) {
                Files.write(dir.resolve(file.substring(1)), in.readAllBytes());
            }
        }
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "torch timed out");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.txt")));
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
