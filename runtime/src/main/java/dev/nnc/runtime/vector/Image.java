package dev.nnc.runtime.vector;

import java.util.Arrays;

/**
 * Rows of images [height, width, channels] as the convolution kernels read them: the
 * caller's own array, or a copy with the zero padding around each image, so that no
 * window ever needs a bounds check.
 */
final class Image {
    final float[] data;
    final int height;
    final int width;
    final int channels;
    /** Floats per row. */
    final int size;
    private final int padTop;
    private final int padLeft;

    private Image(float[] data, int height, int width, int channels, int padTop, int padLeft) {
        this.data = data;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.size = height * width * channels;
        this.padTop = padTop;
        this.padLeft = padLeft;
    }

    /** x itself when {@code padded} is null, else x copied into {@code padded} with its zero border. */
    static Image of(float[] x, float[] padded, int rows, int h, int w, int c, int kh, int kw, int stride,
                    int padTop, int padLeft, int oh, int ow) {
        if (padded == null) return new Image(x, h, w, c, 0, 0);
        Image image = padded(padded, h, w, c, kh, kw, stride, padTop, padLeft, oh, ow);
        Arrays.fill(padded, 0, rows * image.size, 0f);
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(x, (r * h + y) * w * c, padded, image.rowStart(r, y), w * c);
            }
        }
        return image;
    }

    /** The layout of a padded image in {@code work}: tall and wide enough for every window. */
    static Image padded(float[] work, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft, int oh, int ow) {
        int height = Math.max(h + padTop, (oh - 1) * stride + kh);
        int width = Math.max(w + padLeft, (ow - 1) * stride + kw);
        return new Image(work, height, width, c, padTop, padLeft);
    }

    /** The image's own pixels (without the border) into {@code out}, rows of [h, w, c]. */
    void crop(float[] out, int rows, int h, int w) {
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, rowStart(r, y), out, (r * h + y) * w * channels, w * channels);
            }
        }
    }

    /** Where row y of image r's own pixels starts. */
    private int rowStart(int r, int y) {
        return ((r * height + y + padTop) * width + padLeft) * channels;
    }

    /** Where the window of output pixel q (of rows of oh x ow) starts. */
    int base(int q, int oh, int ow, int stride) {
        int r = q / (oh * ow);
        int p = q % (oh * ow);
        return ((r * height + p / ow * stride) * width + p % ow * stride) * channels;
    }

    /** Where element k of a window ([kh, kw, c] in order) is, from the window's start. */
    int offset(int k, int kw, int c) {
        return (k / (kw * c) * width + k / c % kw) * c + k % c;
    }
}
