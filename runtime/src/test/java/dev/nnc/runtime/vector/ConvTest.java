package dev.nnc.runtime.vector;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The convolution and pooling kernels against plain double-precision loops written as
 * the textbook has them, over geometries that take every path: both tile widths (16 to
 * 80 filters), strides 1 and 2, valid and same padding, the tiles past the last pixel,
 * the Fashion-MNIST CNN's second convolution, and 96 channels (a block of 64 and one of 32).
 */
class ConvTest {
    private static final Random RANDOM = new Random(3);

    /** rows, h, w, c, k, stride, same, f. */
    private static final int[][] GEOMETRIES = {
            {3, 7, 6, 16, 3, 1, 0, 16}, {2, 8, 8, 32, 3, 2, 1, 32}, {1, 5, 5, 16, 2, 1, 1, 64},
            {3, 6, 7, 48, 3, 1, 1, 80}, {2, 9, 9, 1, 3, 1, 0, 32}, {1, 4, 4, 16, 1, 1, 0, 16}, {2, 13, 13, 32, 3, 1, 0, 64},
            {1, 9, 8, 96, 3, 1, 0, 16}};

    private record Geometry(int rows, int h, int w, int c, int k, int stride, int padTop, int padLeft, int oh, int ow, int f) {
        static Geometry of(int[] g) {
            int h = g[1], w = g[2], k = g[4], s = g[5];
            if (g[6] == 0) return new Geometry(g[0], h, w, g[3], k, s, 0, 0, (h - k) / s + 1, (w - k) / s + 1, g[7]);
            int oh = (h + s - 1) / s, ow = (w + s - 1) / s;
            int padH = Math.max(0, (oh - 1) * s + k - h), padW = Math.max(0, (ow - 1) * s + k - w);
            return new Geometry(g[0], h, w, g[3], k, s, padH / 2, padW / 2, oh, ow, g[7]);
        }

        int paddedHeight() { return Math.max(h + padTop, (oh - 1) * stride + k); }
        int paddedWidth() { return Math.max(w + padLeft, (ow - 1) * stride + k); }
        boolean padded() { return padTop > 0 || padLeft > 0 || paddedHeight() > h || paddedWidth() > w; }

        /** x[r][iy][ix][ci] of output pixel (y, x)'s window place (i, j), or -1 in the padding. */
        int input(int r, int y, int x, int i, int j, int ci) {
            int iy = y * stride + i - padTop, ix = x * stride + j - padLeft;
            return iy < 0 || iy >= h || ix < 0 || ix >= w ? -1 : ((r * h + iy) * w + ix) * c + ci;
        }

        int filter(int fo, int ci, int i, int j) { return ((fo * c + ci) * k + i) * k + j; }
        int output(int r, int y, int x, int ch, int channels) { return ((r * oh + y) * ow + x) * channels + ch; }
    }

    private static float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = RANDOM.nextFloat() * 2 - 1;
        return a;
    }

    private static void assertClose(double[] expected, float[] actual, int n, String what) {
        for (int i = 0; i < n; i++) assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
    }

    @Test
    void forwardWithBiasAndReluPackedNowOrBefore() {
        for (int[] spec : GEOMETRIES) {
            Geometry g = Geometry.of(spec);
            float[] x = random(g.rows * g.h * g.w * g.c), filters = random(g.f * g.c * g.k * g.k), bias = random(g.f);
            double[] expected = new double[g.rows * g.oh * g.ow * g.f];
            for (int r = 0; r < g.rows; r++) for (int y = 0; y < g.oh; y++) for (int xx = 0; xx < g.ow; xx++) {
                for (int fo = 0; fo < g.f; fo++) {
                    double s = bias[fo];
                    for (int i = 0; i < g.k; i++) for (int j = 0; j < g.k; j++) for (int ci = 0; ci < g.c; ci++) {
                        int at = g.input(r, y, xx, i, j, ci);
                        if (at >= 0) s += (double) x[at] * filters[g.filter(fo, ci, i, j)];
                    }
                    expected[g.output(r, y, xx, fo, g.f)] = s;
                }
            }
            float[] packed = new float[Conv.packedSize(g.f, g.c, g.k, g.k)];
            float[] padded = g.padded() ? new float[g.rows * g.paddedHeight() * g.paddedWidth() * g.c] : null;
            for (int relu = 0; relu < 2; relu++) {
                float[] prepacked = relu == 1 ? Conv.pack(filters, g.f, g.c, g.k, g.k) : null;
                float[] out = new float[expected.length];
                Conv.forward(x, filters, bias, out, prepacked, packed, padded, g.rows, g.h, g.w, g.c, g.k, g.k, g.stride,
                        g.padTop, g.padLeft, g.oh, g.ow, g.f, relu);
                double[] want = expected.clone();
                if (relu == 1) for (int i = 0; i < want.length; i++) want[i] = Math.max(0, want[i]);
                assertClose(want, out, want.length, "forward " + g + " relu " + relu);
            }
        }
    }

    @Test
    void inputAndFilterGradients() {
        for (int[] spec : GEOMETRIES) {
            Geometry g = Geometry.of(spec);
            float[] x = random(g.rows * g.h * g.w * g.c), filters = random(g.f * g.c * g.k * g.k);
            float[] dy = random(g.rows * g.oh * g.ow * g.f);
            double[] dx = new double[x.length];
            double[] dw = new double[filters.length];
            double[] db = new double[g.f];
            for (int r = 0; r < g.rows; r++) for (int y = 0; y < g.oh; y++) for (int xx = 0; xx < g.ow; xx++) {
                for (int fo = 0; fo < g.f; fo++) {
                    double d = dy[g.output(r, y, xx, fo, g.f)];
                    db[fo] += d;
                    for (int i = 0; i < g.k; i++) for (int j = 0; j < g.k; j++) for (int ci = 0; ci < g.c; ci++) {
                        int at = g.input(r, y, xx, i, j, ci);
                        if (at < 0) continue;
                        dx[at] += d * filters[g.filter(fo, ci, i, j)];
                        dw[g.filter(fo, ci, i, j)] += d * x[at];
                    }
                }
            }
            float[] padded = g.padded() ? new float[g.rows * g.paddedHeight() * g.paddedWidth() * g.c] : null;
            float[] sums = new float[(g.k * g.k * g.c + 1) * Conv.lanes(g.f)];
            float[] actualDw = new float[filters.length];
            Conv.weightGradient(x, dy, actualDw, sums, padded, g.rows, g.h, g.w, g.c, g.k, g.k, g.stride, g.padTop, g.padLeft,
                    g.oh, g.ow, g.f);
            assertClose(dw, actualDw, dw.length, "filter gradient " + g);
            float[] actualDb = new float[g.f];
            Conv.channelSum(dy, actualDb, g.rows, g.oh * g.ow, g.f);
            assertClose(db, actualDb, db.length, "bias gradient " + g);
            if (!Conv.fits(g.c)) continue;
            float[] packed = new float[Conv.packedSize(g.c, g.f, g.k, g.k)];
            float[] work = new float[g.rows * g.paddedHeight() * g.paddedWidth() * g.c + g.c];
            float[] actualDx = new float[x.length];
            Conv.inputGradient(dy, filters, actualDx, packed, work, g.rows, g.h, g.w, g.c, g.k, g.k, g.stride, g.padTop,
                    g.padLeft, g.oh, g.ow, g.f);
            assertClose(dx, actualDx, dx.length, "input gradient " + g);
        }
    }

    @Test
    void poolsAndTheirGradientsWithTiesAndOverlaps() {
        // (size, stride) on 7 x 6 and 8 x 8 images of 16 and 32 channels; values from a few
        // levels, so that windows hold ties and the first maximum must get the gradient
        for (int[] p : new int[][]{{2, 2, 8, 8, 16}, {2, 1, 7, 6, 32}, {3, 2, 7, 6, 16}, {2, 2, 7, 6, 16}}) {
            int size = p[0], stride = p[1], h = p[2], w = p[3], c = p[4], rows = 2;
            int oh = (h - size) / stride + 1, ow = (w - size) / stride + 1;
            float[] x = new float[rows * h * w * c];
            for (int i = 0; i < x.length; i++) x[i] = RANDOM.nextInt(4);
            float[] dy = random(rows * oh * ow * c);
            double[] max = new double[dy.length], mean = new double[dy.length];
            double[] dxMax = new double[x.length], dxMean = new double[x.length];
            for (int r = 0; r < rows; r++) for (int y = 0; y < oh; y++) for (int xx = 0; xx < ow; xx++) for (int ch = 0; ch < c; ch++) {
                int o = ((r * oh + y) * ow + xx) * c + ch;
                int first = -1;
                double sum = 0;
                for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) {
                    int at = ((r * h + y * stride + i) * w + xx * stride + j) * c + ch;
                    if (first < 0 || x[at] > x[first]) first = at;
                    sum += x[at];
                    dxMean[at] += dy[o] / (size * size);
                }
                max[o] = x[first];
                mean[o] = sum / (size * size);
                dxMax[first] += dy[o];
            }
            float[] out = new float[dy.length];
            Pool.maxPool(x, out, rows, h, w, c, size, size, stride, 0, 0, oh, ow, c);
            assertClose(max, out, out.length, "max pool " + java.util.Arrays.toString(p));
            float[] dx = new float[x.length];
            java.util.Arrays.fill(dx, 7f); // the gradient overwrites whatever was there
            Pool.maxPoolGradient(x, out, dy, dx, new float[16], rows, h, w, c, size, size, stride, 0, 0, oh, ow, c);
            assertClose(dxMax, dx, dx.length, "max pool gradient " + java.util.Arrays.toString(p));
            Pool.avgPool(x, out, rows, h, w, c, size, size, stride, 0, 0, oh, ow, c);
            assertClose(mean, out, out.length, "mean pool " + java.util.Arrays.toString(p));
            java.util.Arrays.fill(dx, 7f); // the gradient overwrites whatever was there
            Pool.avgPoolGradient(dy, dx, rows, h, w, c, size, size, stride, 0, 0, oh, ow, c);
            assertClose(dxMean, dx, dx.length, "mean pool gradient " + java.util.Arrays.toString(p));
        }
    }

    @Test
    void oneImageSplitOverTwoCoresGivesTheBitsOfABatch() {
        // one image's convolution and 2 x 2 max pool run half on the Helper's thread (when the
        // machine has two cores); the same image in a batch of three is computed by one thread
        assumeTrue(Helper.ENABLED, "one core: nothing is split");
        int h = 13, w = 13, c = 32, k = 3, f = 64, oh = 11, ow = 11;
        float[] batch = random(3 * h * w * c);
        float[] filters = random(f * c * k * k);
        float[] bias = random(f);
        float[] packed = Conv.pack(filters, f, c, k, k);
        float[] all = new float[3 * oh * ow * f];
        Conv.forward(batch, filters, bias, all, packed, null, null, 3, h, w, c, k, k, 1, 0, 0, oh, ow, f, 1);
        float[] pooledAll = new float[3 * 5 * 5 * f];
        Pool.maxPool(all, pooledAll, 3, oh, ow, f, 2, 2, 2, 0, 0, 5, 5, f);
        for (int row = 0; row < 3; row++) {
            float[] one = java.util.Arrays.copyOfRange(batch, row * h * w * c, (row + 1) * h * w * c);
            for (int repeat = 0; repeat < 50; repeat++) { // the helper's hand-offs, many times over
                float[] out = new float[oh * ow * f];
                Conv.forward(one, filters, bias, out, packed, null, null, 1, h, w, c, k, k, 1, 0, 0, oh, ow, f, 1);
                assertArrayEquals(java.util.Arrays.copyOfRange(all, row * out.length, (row + 1) * out.length), out);
                float[] pooled = new float[5 * 5 * f];
                Pool.maxPool(out, pooled, 1, oh, ow, f, 2, 2, 2, 0, 0, 5, 5, f);
                assertArrayEquals(java.util.Arrays.copyOfRange(pooledAll, row * pooled.length, (row + 1) * pooled.length), pooled);
            }
        }
    }
}
