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

    private static void predictionsAgree(String program, boolean normalized, Path dir) throws Exception {
        Assumptions.assumeTrue(torchInstalled(), "skipped: " + PYTHON + " cannot import torch (apt-get install python3-torch)");
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of("small_cnn.nn", program));
        int rows = 7;
        Network network = ModelLoader.load(compiled).create(rows);
        Initializer.initialize(network, compiled.spec(), 3);
        Random random = new Random(5);
        for (float[] p : network.parameters()) {
            for (int i = 0; i < p.length; i++) p[i] += (float) (0.05 * random.nextGaussian()); // biases not zero
        }
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
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                x[r * width + i] = random.nextFloat();
                csv.append(i == 0 ? "" : ",").append(x[r * width + i]);
            }
            csv.append('\n');
        }
        Path inputs = Files.writeString(dir.resolve("inputs.csv"), csv);
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
        Path script = dir.resolve("torch_cnn.py");
        try (var in = TorchInteropTest.class.getResourceAsStream("/torch_cnn.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON, script.toString(), weights.toString(),
                inputs.toString(), "12", "12", "2"));
        if (normalized) command.add("bn");
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "torch timed out");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.txt")));
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
