package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Max and mean pooling and their gradients over rows of images [height, width,
 * channels], 16 channels at a time (the channels a multiple of 16, as for {@link Conv}).
 * Pools never pad. Each method gets the window's
 * geometry as twelve ints, as {@link Conv}'s do (the last, filters, is the channels).
 */
public final class Pool {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;

    private Pool() {}

    public static void maxPool(float[] x, float[] out, int rows, int h, int w, int c, int kh, int kw, int stride,
                               int padTop, int padLeft, int oh, int ow, int channels) {
        pool(x, out, true, rows, h, w, c, kh, kw, stride, oh, ow);
    }

    public static void avgPool(float[] x, float[] out, int rows, int h, int w, int c, int kh, int kw, int stride,
                               int padTop, int padLeft, int oh, int ow, int channels) {
        pool(x, out, false, rows, h, w, c, kh, kw, stride, oh, ow);
    }

    private static void pool(float[] x, float[] out, boolean max, int rows, int h, int w, int c, int kh, int kw, int stride,
                             int oh, int ow) {
        float scale = 1f / (kh * kw);
        for (int r = 0, o = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o += c) {
                    int window = ((r * h + oy * stride) * w + ox * stride) * c;
                    for (int ch = 0; ch < c; ch += L) {
                        FloatVector acc = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : 0f);
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0, at = window + ky * w * c + ch; kx < kw; kx++, at += c) {
                                FloatVector v = FloatVector.fromArray(S, x, at);
                                acc = max ? acc.lanewise(VectorOperators.MAX, v) : acc.add(v);
                            }
                        }
                        (max ? acc : acc.mul(scale)).intoArray(out, o + ch);
                    }
                }
            }
        }
    }

    /** Each window's gradient to its first element equal to its maximum, as PyTorch does. */
    public static void maxPoolGradient(float[] x, float[] y, float[] dy, float[] dx, int rows, int h, int w, int c,
                                       int kh, int kw, int stride, int padTop, int padLeft, int oh, int ow, int channels) {
        Arrays.fill(dx, 0, rows * h * w * c, 0f);
        for (int r = 0, o = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o += c) {
                    int window = ((r * h + oy * stride) * w + ox * stride) * c;
                    for (int ch = 0; ch < c; ch += L) {
                        FloatVector g = FloatVector.fromArray(S, dy, o + ch);
                        FloatVector m = FloatVector.fromArray(S, y, o + ch);
                        VectorMask<Float> found = S.maskAll(false);
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0, at = window + ky * w * c + ch; kx < kw; kx++, at += c) {
                                VectorMask<Float> hit = FloatVector.fromArray(S, x, at).eq(m).andNot(found);
                                FloatVector.fromArray(S, dx, at).add(g, hit).intoArray(dx, at);
                                found = found.or(hit);
                            }
                        }
                    }
                }
            }
        }
    }

    public static void avgPoolGradient(float[] dy, float[] dx, int rows, int h, int w, int c, int kh, int kw, int stride,
                                       int padTop, int padLeft, int oh, int ow, int channels) {
        Arrays.fill(dx, 0, rows * h * w * c, 0f);
        float scale = 1f / (kh * kw);
        for (int r = 0, o = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o += c) {
                    int window = ((r * h + oy * stride) * w + ox * stride) * c;
                    for (int ch = 0; ch < c; ch += L) {
                        FloatVector g = FloatVector.fromArray(S, dy, o + ch).mul(scale);
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0, at = window + ky * w * c + ch; kx < kw; kx++, at += c) {
                                FloatVector.fromArray(S, dx, at).add(g).intoArray(dx, at);
                            }
                        }
                    }
                }
            }
        }
    }
}
