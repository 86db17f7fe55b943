package dev.nnc.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The same file and seed give the same weights, bit for bit, for any number of threads. */
class ReproducibilityTest {
    @TempDir
    Path dir;

    private byte[] train(int threads) throws IOException {
        return train("tests/data/fashion_small.nn", threads, "1");
    }

    private byte[] train(String model, int threads, String epochs) throws IOException {
        Path out = dir.resolve("t" + threads + "-" + Math.abs(model.hashCode()) + "-" + System.nanoTime());
        Cli r = Cli.run("train", model, "--epochs", epochs, "--threads", String.valueOf(threads),
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        return Files.readAllBytes(out.resolve("weights.safetensors"));
    }

    @Test
    void irisTwiceOnOneThreadAndOnceOnTwoGivesThreeIdenticalFiles() throws IOException {
        byte[] first = train("examples/iris/iris.nn", 1, "200");
        assertArrayEquals(first, train("examples/iris/iris.nn", 1, "200"));
        assertArrayEquals(first, train("examples/iris/iris.nn", 2, "200"));
    }

    @Test
    void oneTwoAndThreeThreadsGiveIdenticalWeights() throws IOException {
        byte[] one = train(1);
        assertArrayEquals(one, train(2));
        assertArrayEquals(one, train(3));
    }

    @Test
    void aConvolutionalNetworkGivesIdenticalWeightsOnOneTwoAndThreeThreads() throws IOException {
        String cnn = "tests/data/fashion_cnn_small.nn";
        byte[] one = train(cnn, 1, "1");
        assertArrayEquals(one, train(cnn, 2, "1"));
        assertArrayEquals(one, train(cnn, 3, "1"));
    }
}
