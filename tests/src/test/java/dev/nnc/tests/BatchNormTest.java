package dev.nnc.tests;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.train.Initializer;
import dev.nnc.runtime.weights.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Batch norm's running statistics: a step moves them towards the batch's mean and
 * unbiased variance by (1 - momentum), per channel over rows and pixels; prediction
 * normalizes by them; a batch cut into parts of 32 rows is normalized part by part and
 * moves them by the parts' statistics, the same bits for any thread count. (The
 * derivatives are the gradient check's, in GradientCheckTest and PropertiesTest.)
 */
class BatchNormTest {

    private static ModelClass model(String input, String momentum) {
        return Models.compile("""
                model Norm {
                    input  x: %s
                    target y: class[2]
                    output p = x -> batch_norm(momentum = %s) -> flatten -> dense(2) -> softmax
                    loss      cross_entropy(p, y)
                    optimizer sgd(lr = 0.1)
                }
                """.formatted(input, momentum));
    }

    @Test
    void aStepMovesTheRunningStatisticsTowardsTheBatchs() {
        for (String input : new String[]{"[3]", "[2, 2, 3]"}) {
            ModelClass model = model(input, "0.75");
            int rows = 5;
            int width = model.spec().inputWidth();
            Network net = model.create(rows);
            Initializer.initialize(net, model.spec(), 1);
            float[] x = new float[rows * width];
            Random random = new Random(2);
            for (int i = 0; i < x.length; i++) x[i] = (float) (3 + 2 * random.nextGaussian() + i % 3);
            net.trainStep(x, new float[rows], rows, 0.1);

            float[] runningMean = parameter(model, net, "batch_norm_1.running_mean");
            float[] runningVariance = parameter(model, net, "batch_norm_1.running_var");
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                int count = 0;
                for (int i = c; i < x.length; i += 3, count++) sum += x[i];
                double mean = sum / count;
                double squares = 0;
                for (int i = c; i < x.length; i += 3) squares += (x[i] - mean) * (x[i] - mean);
                double unbiased = squares / (count - 1);
                assertEquals(0.25 * mean, runningMean[c], 1e-5, input + " mean of channel " + c);
                assertEquals(0.75 + 0.25 * unbiased, runningVariance[c], 1e-4, input + " variance of channel " + c);
            }
        }
    }

    @Test
    void predictionNormalizesByTheRunningStatistics() {
        ModelClass model = model("[2]", "0.9");
        Network net = model.create(1);
        Initializer.initialize(net, model.spec(), 1);
        set(model, net, "batch_norm_1.running_mean", 1, -2);
        set(model, net, "batch_norm_1.running_var", 4, 0.25f);
        set(model, net, "batch_norm_1.weight", 2, 1);
        set(model, net, "batch_norm_1.bias", 0.5f, 0);
        set(model, net, "dense_1.weight", 1, 0, 0, 1);
        set(model, net, "dense_1.bias", 0, 0);
        float[] p = net.predict(new float[]{3, -1}, 1);
        // logits: 2 * (3 - 1) / sqrt(4 + eps) + 0.5 = 2.5 and 1 * (-1 + 2) / sqrt(0.25 + eps) = 2
        double z0 = 2 * 2 / Math.sqrt(4 + 1e-5) + 0.5;
        double z1 = 1 / Math.sqrt(0.25 + 1e-5);
        assertEquals(1 / (1 + Math.exp(z1 - z0)), p[0], 1e-6);
    }

    @Test
    void partsOfTheBatchGiveTheSameBitsOnAnyThreadCount(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        Random random = new Random(4);
        for (int r = 0; r < 64; r++) {
            csv.append(5 + random.nextGaussian()).append(',').append(-3 + 2 * random.nextGaussian()).append(',')
                    .append(r % 2).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        Path program = Files.writeString(dir.resolve("norm.nn"), """
                model Norm {
                    input  x: [2]
                    target label: class[2]
                    output p = x -> dense(8) -> batch_norm -> relu -> dense(2) -> softmax
                    loss      cross_entropy(p, label)
                    optimizer adam(lr = 0.01)
                    train {
                        epochs 3
                        batch  64
                        seed   9
                    }
                    data {
                        train csv("data.csv", target = "label")
                    }
                }
                """);
        byte[] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            Path out = dir.resolve("run" + threads);
            Cli r = Cli.run("train", program.toString(), "--threads", String.valueOf(threads), "--out", out.toString(), "--quiet");
            assertEquals(0, r.status(), r.err());
            byte[] weights = Files.readAllBytes(out.resolve("weights.safetensors"));
            if (first == null) {
                first = weights;
                Map<String, Safetensors.Tensor> tensors = Safetensors.read(out.resolve("weights.safetensors")).tensors();
                float[] variance = tensors.get("batch_norm_1.running_var").data();
                for (float v : variance) assertTrue(v > 0 && v != 1, "running variance moved: " + v);
            } else {
                assertArrayEquals(first, weights, threads + " threads");
            }
        }
    }

    private static float[] parameter(ModelClass model, Network net, String name) {
        for (int i = 0; i < model.spec().parameters().size(); i++) {
            if (model.spec().parameters().get(i).name().equals(name)) return net.parameters()[i];
        }
        throw new AssertionError("no parameter " + name);
    }

    private static void set(ModelClass model, Network net, String name, float... values) {
        System.arraycopy(values, 0, parameter(model, net, name), 0, values.length);
    }
}
