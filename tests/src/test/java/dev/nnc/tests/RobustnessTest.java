package dev.nnc.tests;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Extreme logits, a diverging run, and targets of several reals. */
class RobustnessTest {
    @TempDir
    Path dir;

    @Test
    void hugeLogitsGiveAFiniteLossAndTheGradientPMinusY() {
        ModelClass model = Models.compile("""
                model Logits {
                    input  x: [1]
                    target y: class[3]
                    output p = x -> dense(3) -> softmax
                    loss      cross_entropy(p, y)
                    optimizer sgd(lr = 0.1)
                }
                """);
        Network net = model.create(1);
        float[][] p = net.parameters();
        p[0][0] = 1e4f;
        p[0][1] = -1e4f;
        p[0][2] = 0;
        double loss = net.gradients(new float[]{1}, new float[]{1}, 1);
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals(2e4, loss, 1, "log-sum-exp minus the label's logit");
        float[] dz = net.parameterGradients()[1]; // the bias gradient is dL/dz
        assertArrayEquals(new float[]{1, -1, 0}, dz, 1e-6f, "softmax minus one-hot: " + Arrays.toString(dz));
    }

    @Test
    void aDivergingRunStopsWithTheEpochAndBatchAndKeepsTheLastWeights() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("weights.safetensors"), "the last good weights");
        Path model = dir.resolve("diverge.nn");
        Files.writeString(model, Files.readString(Path.of("examples/sine/sine.nn"))
                .replace("adagrad(lr = 0.05)", "sgd(lr = 1e30)")
                .replace("\"sine.csv\"", "\"" + Path.of("examples/sine/sine.csv").toAbsolutePath() + "\""));
        Cli r = Cli.run("train", model.toString(), "--out", out.toString(), "--quiet");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().matches("(?s).*training diverged: the loss is (NaN|Infinity) in epoch 1, batch \\d+.*"), r.err());
        assertEquals("the last good weights", Files.readString(out.resolve("weights.safetensors")));
        assertFalse(r.hasStackTrace());
    }

    @Test
    void aTargetOfSeveralRealsReadsItsColumns() throws IOException {
        Path csv = dir.resolve("pairs.csv");
        List<String> rows = new ArrayList<>(List.of("a,b,y_0,y_1"));
        for (int i = 0; i < 40; i++) rows.add(i / 40.0 + "," + (1 - i / 40.0) + "," + (i / 20.0) + "," + (-i / 40.0));
        Files.write(csv, rows);
        Path model = dir.resolve("pairs.nn");
        Files.writeString(model, """
                model Pairs {
                    input  x: [2]
                    target y: real[2]
                    output p = x -> dense(8) -> tanh -> dense(2)
                    loss      mse(p, y)
                    optimizer adam(lr = 0.01)
                    train { epochs 50 batch 8 seed 1 }
                }
                """);
        Cli r = Cli.run("train", model.toString(), "--train", csv.toString(), "--out", dir.resolve("o").toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(dir.resolve("o/metrics.json")).contains("train_mse"));
        Files.write(csv, List.of("a,b,y", "1,2,3"));
        Cli missing = Cli.run("train", model.toString(), "--train", csv.toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no columns named 'y_0', 'y_1' for the target"), missing.err());
    }
}
