package dev.nnc.runtime.vector;

import java.util.Arrays;

/**
 * Where things are in rows of images [height, width, channels], for the convolution
 * and pooling kernels; and the zero-padded copies that spare every window a bounds
 * check. Static, so that a kernel call allocates nothing.
 */
final class Images {
    private Images() {}

    /** A padded image is tall and wide enough for every window. */
    static int paddedHeight(int h, int kh, int stride, int padTop, int oh) {
        return Math.max(h + padTop, (oh - 1) * stride + kh);
    }

    static int paddedWidth(int w, int kw, int stride, int padLeft, int ow) {
        return Math.max(w + padLeft, (ow - 1) * stride + kw);
    }

    /** x's rows of [h, w, c] into {@code padded}'s rows of [ph, pw, c], with zeros around them. */
    static void pad(float[] x, float[] padded, int rows, int h, int w, int c, int ph, int pw, int padTop, int padLeft) {
        Arrays.fill(padded, 0, rows * ph * pw * c, 0f);
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(x, (r * h + y) * w * c, padded, ((r * ph + y + padTop) * pw + padLeft) * c, w * c);
            }
        }
    }

    /** The inverse: the images without their border. */
    static void crop(float[] padded, float[] out, int rows, int h, int w, int c, int ph, int pw, int padTop, int padLeft) {
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(padded, ((r * ph + y + padTop) * pw + padLeft) * c, out, (r * h + y) * w * c, w * c);
            }
        }
    }

    /** Where the window of output pixel q (of rows of oh x ow outputs) starts, in images of height x width. */
    static int window(int q, int height, int width, int c, int stride, int oh, int ow) {
        int r = q / (oh * ow);
        int p = q % (oh * ow);
        return ((r * height + p / ow * stride) * width + p % ow * stride) * c;
    }

    /** Where element k of a window ([kh, kw, c] in order) is, from the window's start. */
    static int offset(int k, int width, int kw, int c) {
        return (k / (kw * c) * width + k / c % kw) * c + k % c;
    }
}
