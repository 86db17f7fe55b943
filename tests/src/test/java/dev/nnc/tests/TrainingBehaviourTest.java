package dev.nnc.tests;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.Safetensors;
import dev.nnc.runtime.weights.WeightsFile;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Early stopping's restore, dropout's scaling, and the weights file's round trip. */
class TrainingBehaviourTest {
    @TempDir
    Path dir;

    @Test
    void earlyStoppingRestoresTheBestEpoch() throws IOException {
        Cli r = Cli.run("train", "examples/iris/iris.nn", "--out", dir.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        List<String> history = Files.readAllLines(dir.resolve("history.csv"));
        double best = history.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[4])).min().orElseThrow();
        double last = Double.parseDouble(history.get(history.size() - 1).split(",")[4]);
        JsonObject metrics = JsonParser.parseString(Files.readString(dir.resolve("metrics.json"))).getAsJsonObject();
        assertTrue(last > best, "the run went past its best epoch");
        assertEquals(best, metrics.get("val_loss").getAsDouble(), 1e-12, "the final weights are the best epoch's");
    }

    @Test
    void dropoutScalesWhatItKeepsAndIsOffForInference() {
        ModelClass model = Models.compile("""
                model Drop {
                    input  x: [1000]
                    target y: real[1]
                    output p = x -> dropout(0.25) -> dense(1, bias = false)
                    loss      mse(p, y)
                    optimizer sgd(lr = 0.1)
                }
                """);
        Network net = model.create(1);
        Arrays.fill(net.parameters()[0], 1f);
        float[] x = new float[1000];
        Arrays.fill(x, 1f);
        assertEquals(1000f, net.predict(x, 1)[0], 1e-3);
        net.seed(3);
        net.gradients(x, new float[]{0}, 1);
        float kept = net.trainingPredictions()[0] * 0.75f;
        assertEquals(Math.round(kept), kept, 1e-2, "a sum of kept ones times 1/(1-p)");
        assertEquals(750, kept, 60, "about three quarters kept");
    }

    @Test
    void weightsRoundTripAndAreReadableAsSafetensors() throws IOException {
        Cli r = Cli.run("train", "examples/iris/iris.nn", "--out", dir.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        Path weights = dir.resolve("weights.safetensors");

        byte[] bytes = Files.readAllBytes(weights);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject w1 = header.getAsJsonObject("dense_1.weight");
        assertEquals("F32", w1.get("dtype").getAsString());
        assertEquals("[16,4]", w1.get("shape").toString());
        assertEquals("Iris", header.getAsJsonObject("__metadata__").get("model").getAsString());
        assertTrue(header.getAsJsonObject("__metadata__").get("classes").getAsString().contains("versicolor"));
        assertEquals(0, (8 + headerLength) % 8);

        ModelClass model = Models.compile(Files.readString(Path.of("examples/iris/iris.nn")));
        Network a = model.create(4);
        Preprocessor prep = WeightsFile.load(weights, model.spec(), a);
        assertEquals("standard", prep.kind());
        Path copy = dir.resolve("copy.safetensors");
        WeightsFile.save(copy, model.spec(), a, prep);
        assertArrayEquals(bytes, Files.readAllBytes(copy));

        Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
        UserError cut = assertThrows(UserError.class, () -> WeightsFile.load(dir.resolve("cut.safetensors"), model.spec(), a));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        Files.write(dir.resolve("junk.safetensors"), new byte[]{1, 2, 3});
        assertThrows(UserError.class, () -> Safetensors.read(dir.resolve("junk.safetensors")));
    }
}
