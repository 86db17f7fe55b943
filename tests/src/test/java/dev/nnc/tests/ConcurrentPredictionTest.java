package dev.nnc.tests;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.IdxReader;
import dev.nnc.runtime.predict.Classification;
import dev.nnc.runtime.predict.Classifier;
import dev.nnc.runtime.train.Initializer;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Eight threads share one instance of the Fashion-MNIST model over the 10,000 test
 * images (random ones when Debian's dataset-fashion-mnist is absent), mixing single rows
 * and batches, and get exactly what one thread gets one row at a time.
 */
class ConcurrentPredictionTest {
    static final Path TEST_IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    static final Path TEST_LABELS = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
    static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void eightThreadsGetTheSingleThreadResults() throws Exception {
        CompiledModel compiled = Compiler.compile(SourceFile.read(Path.of("examples/fashion/fashion.nn")));
        Network network = ModelLoader.load(compiled).create(1);
        Initializer.initialize(network, compiled.spec(), 11);
        float[] scale = new float[784];
        Arrays.fill(scale, 1 / 255f);
        Path weights = dir.resolve("fashion.safetensors");
        WeightsFile.save(weights, compiled.spec(), network, new Preprocessor("scale", new float[784], scale));
        Classifier model = (Classifier) ModelLoader.typedClass(compiled).getMethod("load", Path.class).invoke(null, weights);

        float[][] images = images(compiled);
        float[][] expected = new float[images.length][];
        for (int i = 0; i < images.length; i++) expected[i] = model.predict(images[i]).probabilities();

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                results.add(threads.submit(() -> predictInSomeOrder(model, images, seed)));
            }
            for (Future<float[][]> r : results) {
                float[][] got = r.get();
                for (int i = 0; i < images.length; i++) assertArrayEquals(expected[i], got[i], "image " + i);
            }
        } finally {
            threads.shutdown();
        }
    }

    /** Every image once: runs of single rows and batches of up to 700, from a place the seed picks. */
    static float[][] predictInSomeOrder(Classifier model, float[][] images, int seed) {
        Random random = new Random(seed);
        float[][] got = new float[images.length][];
        int n = images.length;
        int start = random.nextInt(n);
        for (int done = 0; done < n; ) {
            int length = Math.min(n - done, 1 + random.nextInt(700));
            if (random.nextBoolean()) {
                for (int k = 0; k < Math.min(length, 40); k++, done++) {
                    int i = (start + done) % n;
                    got[i] = model.predict(images[i]).probabilities();
                }
            } else {
                float[][] batch = new float[length][];
                for (int k = 0; k < length; k++) batch[k] = images[(start + done + k) % n];
                List<Classification> out = model.predict(batch);
                for (int k = 0; k < length; k++) got[(start + done + k) % n] = out.get(k).probabilities();
                done += length;
            }
        }
        return got;
    }

    static float[][] images(CompiledModel compiled) {
        float[][] images = new float[10_000][784];
        if (Files.isRegularFile(TEST_IMAGES)) {
            Dataset test = new IdxReader(compiled.spec()).read(TEST_IMAGES, TEST_LABELS);
            float[] label = new float[test.targetWidth()];
            for (int i = 0; i < images.length; i++) test.copyRow(i, images[i], 0, label, 0);
        } else {
            Random random = new Random(3);
            for (float[] image : images) for (int j = 0; j < 784; j++) image[j] = random.nextInt(256);
        }
        return images;
    }
}
