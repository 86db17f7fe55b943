package dev.nnc.tests;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.train.Initializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Vector API products and the scalar loops compute the same thing: the same
 * network with the same weights, once on each path, gives the same outputs and
 * gradients within float rounding, and so do the packed weights of prediction. Odd
 * sizes exercise every edge of the tiles; a second network, every batch norm kernel; a
 * third, the narrow form of layers with few inputs.
 */
class VectorPathTest {
    private static final String PROGRAM = """
            model Edges {
                input  x: [37]
                target y: class[5]
                output p = x -> dense(41) -> relu -> dense(19) -> tanh -> dense(5) -> softmax
                loss      cross_entropy(p, y)
                optimizer adam(lr = 0.01)
            }
            """;

    /**
     * Batch norms on a vector and on an image, with 16 and 20 channels: whole vectors and a
     * tail. With SGD: a bias before a batch norm has a gradient of zero in exact arithmetic,
     * which Adam would turn into steps of the rate's size in the directions of rounding noise.
     */
    private static final String NORMALIZED = """
            model Normalized {
                input  x: [5, 5, 3]
                target y: class[5]
                output p = x -> conv2d(20, kernel = 3) -> batch_norm -> relu -> flatten -> dense(16) -> batch_norm(momentum = 0.5)
                              -> tanh -> dense(5) -> softmax
                loss      cross_entropy(p, y)
                optimizer sgd(lr = 0.01, momentum = 0.9)
            }
            """;

    /** Layers of at most 16 inputs into whole vectors of outputs: the dot products' narrow form. */
    private static final String NARROW = """
            model Narrow {
                input  x: [4]
                target y: class[5]
                output p = x -> dense(16) -> tanh -> dense(32) -> relu -> dense(5) -> softmax
                loss      cross_entropy(p, y)
                optimizer adam(lr = 0.01)
            }
            """;

    /**
     * Outputs in whole halves of the packed product's panels (96 = one panel and a half, 64
     * = one): prediction's tall tiles of 14 and 12 rows, generated with the model, take the
     * rows they can; the runtime's tiles the rows left.
     */
    private static final String TALL = """
            model Tall {
                input  x: [37]
                target y: class[5]
                output p = x -> dense(96) -> relu -> dense(64) -> tanh -> dense(5) -> softmax
                loss      cross_entropy(p, y)
                optimizer adam(lr = 0.01)
            }
            """;

    private static Network network(String program, boolean vector, int rows) {
        String previous = System.getProperty("nnc.vector");
        System.setProperty("nnc.vector", String.valueOf(vector));
        try {
            ModelClass model = Models.compile(program);
            Network net = model.create(rows);
            Initializer.initialize(net, model.spec(), 3);
            return net;
        } finally {
            if (previous == null) System.clearProperty("nnc.vector");
            else System.setProperty("nnc.vector", previous);
        }
    }

    @Test
    void bothPathsAgree() {
        bothPathsAgree(PROGRAM, 37);
    }

    @Test
    void bothPathsAgreeOnNarrowLayers() {
        bothPathsAgree(NARROW, 4);
    }

    @Test
    void bothPathsAgreeOnBatchNorms() {
        bothPathsAgree(NORMALIZED, 75);
    }

    @Test
    void bothPathsAgreeOnTallTiles() {
        bothPathsAgree(TALL, 37, 12, 24, 25, 28, 64, 121, 133);
    }

    /** A row predicted in a batch, by the model's tall tiles, gives the bits it gives alone, by the runtime's. */
    @Test
    void tallTilesGiveTheBitsOfTheRuntimesTiles() {
        Network one = network(TALL, true, 1);
        one.packWeights();
        // 64: two tiles of 14, three of 12; 133: a block of 120 rows in tiles of 12, a tile after it, one row left
        for (int rows : new int[]{64, 133}) {
            Network batch = network(TALL, true, rows);
            batch.packWeights();
            float[] x = new float[rows * 37];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i * 0.91);
            float[] outputs = batch.predict(x, rows).clone();
            for (int r = 0; r < rows; r++) {
                float[] alone = one.predict(java.util.Arrays.copyOfRange(x, r * 37, (r + 1) * 37), 1);
                assertArrayEquals(java.util.Arrays.copyOfRange(outputs, r * 5, (r + 1) * 5), alone, rows + " rows, row " + r);
            }
        }
    }

    private static void bothPathsAgree(String program, int width) {
        // the training products run in tiles of 8 rows; the forward products' whole blocks of 32 rows in the block form
        bothPathsAgree(program, width, 1, 3, 4, 7, 8, 13, 17, 32, 33, 45, 64, 70);
    }

    private static void bothPathsAgree(String program, int width, int... batches) {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "tests run with the module");
        for (int rows : batches) {
            Network vector = network(program, true, rows);
            Network scalar = network(program, false, rows);
            float[] x = new float[rows * width];
            float[] y = new float[rows];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
            for (int r = 0; r < rows; r++) y[r] = r % 5;
            float[] expected = scalar.predict(x, rows).clone();
            assertArrayEquals(expected, vector.predict(x, rows), 1e-5f);
            vector.packWeights();
            assertArrayEquals(expected, vector.predict(x, rows), 1e-5f, "packed weights, rows " + rows);
            assertEquals(scalar.evaluate(x, y, rows), vector.evaluate(x, y, rows), 1e-5, "packed weights");
            assertEquals(scalar.gradients(x, y, rows), vector.gradients(x, y, rows), 1e-5);
            float[][] gs = scalar.parameterGradients();
            float[][] gv = vector.parameterGradients();
            for (int t = 0; t < gs.length; t++) assertArrayEquals(gs[t], gv[t], 1e-5f, "rows " + rows + ", tensor " + t);
            // the updates start from the same gradients: Adam divides each by its running size, so a
            // gradient that cancels to almost zero (2.29e-7 against 2.32e-7 over 64 rows) would move
            // its weight by visibly different steps on the two paths, though both are right
            for (int t = 0; t < gs.length; t++) System.arraycopy(gs[t], 0, gv[t], 0, gs[t].length);
            for (int step = 0; step < 3; step++) {
                scalar.update(0.01);
                vector.update(0.01);
            }
            float[][] ps = scalar.parameters();
            float[][] pv = vector.parameters();
            for (int t = 0; t < ps.length; t++) assertArrayEquals(ps[t], pv[t], 1e-5f, "updated tensor " + t);
            // the updates dropped the packed weights: prediction reads the new ones
            assertArrayEquals(scalar.predict(x, rows), vector.predict(x, rows), 1e-5f, "after updates, rows " + rows);
        }
    }
}
