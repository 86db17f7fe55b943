package dev.nnc.tests;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The reference examples train to their targets with the seeds in their files. */
class ExamplesTest {
    @TempDir
    Path out;

    private JsonObject train(String example, String... extra) throws IOException {
        Path dir = out.resolve(example);
        String[] args = new String[4 + extra.length];
        args[0] = "train";
        args[1] = "examples/" + example + "/" + example + ".nn";
        args[2] = "--out";
        args[3] = dir.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        Cli result = Cli.run(args);
        assertEquals(0, result.status(), result.err());
        assertTrue(Files.exists(dir.resolve("weights.safetensors")));
        assertTrue(Files.exists(dir.resolve("history.csv")));
        return JsonParser.parseString(Files.readString(dir.resolve("metrics.json"))).getAsJsonObject();
    }

    @Test
    void irisReachesNinetyPercentOnTheHeldOutSplit() throws IOException {
        JsonObject m = train("iris");
        assertTrue(m.get("test_accuracy").getAsDouble() >= 0.90, m.toString());
        assertTrue(m.get("epochs_run").getAsInt() < 200, "early stopping should end it: " + m);
    }

    @Test
    void xorConvergesBelowTheTargetLoss() throws IOException {
        JsonObject m = train("xor");
        assertTrue(m.get("train_loss").getAsDouble() < 0.01, m.toString());
        assertFalse(m.has("test_loss"), "no test set, no test keys");
    }

    @Test
    void andGateIsLearnedByThePerceptronRule() throws IOException {
        JsonObject m = train("and_gate");
        assertEquals(1.0, m.get("train_accuracy").getAsDouble(), m.toString());
    }

    @Test
    void sineIsFittedWithinTheTargetError() throws IOException {
        JsonObject m = train("sine");
        assertTrue(m.get("test_mse").getAsDouble() <= 0.02, m.toString());
        assertTrue(m.has("train_mse"));
    }

    @Test
    void theSameSeedGivesTheSameWeights() throws IOException {
        train("iris");
        byte[] first = Files.readAllBytes(out.resolve("iris/weights.safetensors"));
        train("iris");
        assertArrayEquals(first, Files.readAllBytes(out.resolve("iris/weights.safetensors")));
    }

    @Test
    void epochsCanBeOverriddenOnTheCommandLine() throws IOException {
        JsonObject m = train("sine", "--epochs", "3");
        assertEquals(3, m.get("epochs_run").getAsInt());
    }

    @Test
    void theLargerExamplesCheck() {
        Cli result = Cli.run("check", "examples/fashion/fashion.nn", "examples/residual/residual.nn",
                "examples/fashion_cnn/fashion_cnn.nn");
        assertEquals(0, result.status(), result.err());
    }

    @Test
    void theConvolutionalNetworkPassesTheGradientCheckOnFashionImages() {
        // the fashion_cnn example's layers on real images (the small data set of the tests)
        Cli result = Cli.run("gradcheck", "tests/data/fashion_cnn_small.nn", "--samples", "2");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("conv2d_2.weight"), result.out());
    }
}
