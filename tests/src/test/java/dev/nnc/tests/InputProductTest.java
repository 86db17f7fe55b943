package dev.nnc.tests;

import dev.nnc.runtime.InputProduct;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.train.Initializer;
import dev.nnc.runtime.train.StepRunner;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The first dense layer's weight gradient computed by a trainer over a whole batch
 * ({@link InputProduct}): the generated methods leave it out of a part's gradients and
 * compute it, over any whole blocks of its rows, bit for bit as the gradients compute it;
 * and a step cut into parts that computes it so moves the weights as one network does over
 * the whole batch. (ReproducibilityTest: the same weights for any number of threads.)
 */
class InputProductTest {
    /** 64 inputs, 32 outputs: four blocks of 8 rows, each update slice one of them (a slice starts on a multiple of 64 floats). */
    private static final String PROGRAM = """
            model Wide {
                input  x: [64]
                target y: class[3]
                output p = x -> dense(32) -> relu -> dense(3) -> softmax
                loss      cross_entropy(p, y)
                optimizer sgd(lr = 0.1)
            }
            """;

    private static final ModelClass MODEL = Models.compile(PROGRAM);

    private static Network network(int maxBatch) {
        Network net = MODEL.create(maxBatch);
        Initializer.initialize(net, MODEL.spec(), 3);
        return net;
    }

    private static float[] inputs(int rows) {
        Rng rng = new Rng(11);
        float[] x = new float[rows * 64];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    private static float[] classes(int rows) {
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = i % 3;
        return y;
    }

    @Test
    void anInputProductWhoseSlicesAreNotWholeBlocksIsLeftToTheParts() {
        ModelClass model = Models.compile(PROGRAM.replace("[64]", "[40]").replace("dense(32)", "dense(24)"));
        Network net = model.create(64);
        assertNotNull(net.inputProduct());
        assertNull(InputProduct.inSlices(net), "960 floats: the second slice starts at 192, not on a block of 320");
    }

    @Test
    void theFirstLayersWeightGradientIsTheInputProduct() {
        Network net = network(64);
        assertEquals(new InputProduct(0, 32, 64, 8), net.inputProduct(), "a dense layer on the input, on the Vector API path");
        assertEquals(net.inputProduct(), InputProduct.inSlices(net), "each update slice whole blocks of its rows");
    }

    @Test
    void aPartsGradientsLeaveItOutAndItIsComputedBitForBitAsTheyComputeIt() {
        Network net = network(64);
        float[] x = inputs(40);
        float[] y = classes(40);
        double loss = net.gradients(x, y, 40);
        float[][] expected = copy(net.parameterGradients());

        for (float[] g : net.parameterGradients()) Arrays.fill(g, 7f);
        assertEquals(loss, net.gradientsWithoutInputProduct(x, y, 40, 40));
        float[][] without = net.parameterGradients();
        assertTrue(allEqual(without[0], 7f), "the input product's gradient is left as it was");
        for (int t = 1; t < without.length; t++) assertArrayEquals(expected[t], without[t], "gradient " + t);

        // in ranges of whole blocks, as update slices ask for it
        net.computeInputProduct(net.inputProductDelta(), x, 40, 0, 8);
        net.computeInputProduct(net.inputProductDelta(), x, 40, 8, 32);
        assertArrayEquals(expected[0], without[0]);
    }

    @Test
    void aStepInPartsMovesTheWeightsAsOneNetworkDoesOverTheWholeBatch() {
        int rows = 50; // a part of 32 rows and one of 18
        float[] x = inputs(rows);
        float[] y = classes(rows);
        Network whole = network(64);
        whole.trainStep(x, y, rows, 0.1);

        Network parted = network(64);
        try (StepRunner runner = new StepRunner(parted, 64, 64, 1, 2, 5)) {
            runner.step((from, to, xs, ys) -> {
                System.arraycopy(x, from * 64, xs, 0, (to - from) * 64);
                System.arraycopy(y, from, ys, 0, to - from);
            }, rows, 0.1, (predictions, targets, n) -> { });
        }
        float[][] expected = whole.parameters();
        float[][] actual = parted.parameters();
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                assertEquals(expected[t][i], actual[t][i], 1e-6 * (1 + Math.abs(expected[t][i])), "parameter " + t + "[" + i + "]");
            }
        }
        assertFalse(Arrays.equals(network(64).parameters()[0], actual[0]), "the step moved the first layer's weights");
    }

    private static float[][] copy(float[][] arrays) {
        float[][] c = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) c[i] = arrays[i].clone();
        return c;
    }

    private static boolean allEqual(float[] a, float value) {
        for (float v : a) if (v != value) return false;
        return true;
    }
}
