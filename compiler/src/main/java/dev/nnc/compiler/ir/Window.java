package dev.nnc.compiler.ir;

import java.util.List;

/**
 * Where a sliding window goes over an image of {@code height x width x channels}
 * (channels last, as rows of the batch are stored): its size, its stride, the zero
 * padding before the first row and column, and the output's height and width. The
 * geometry of conv2d and of the pools; 'same' padding puts the odd pixel after, as
 * TensorFlow does (with stride 1 and an odd kernel, the same as PyTorch's).
 */
public record Window(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride,
                     int padTop, int padLeft, int outHeight, int outWidth) {

    public static Window valid(int height, int width, int channels, int kernelHeight, int kernelWidth, int stride) {
        return new Window(height, width, channels, kernelHeight, kernelWidth, stride, 0, 0,
                (height - kernelHeight) / stride + 1, (width - kernelWidth) / stride + 1);
    }

    public static Window same(int height, int width, int channels, int kernel, int stride) {
        int outHeight = (height + stride - 1) / stride;
        int outWidth = (width + stride - 1) / stride;
        int padHeight = Math.max(0, (outHeight - 1) * stride + kernel - height);
        int padWidth = Math.max(0, (outWidth - 1) * stride + kernel - width);
        return new Window(height, width, channels, kernel, kernel, stride, padHeight / 2, padWidth / 2, outHeight, outWidth);
    }

    /** [height, width, channels] of a layer's input. */
    public static Window over(List<Integer> image, int kernel, int stride, boolean same) {
        return same ? same(image.get(0), image.get(1), image.get(2), kernel, stride)
                : valid(image.get(0), image.get(1), image.get(2), kernel, kernel, stride);
    }

    public int inputSize() {
        return height * width * channels;
    }

    public int outPixels() {
        return outHeight * outWidth;
    }

    public boolean padded() {
        return padTop > 0 || padLeft > 0 || (outHeight - 1) * stride + kernelHeight > height
                || (outWidth - 1) * stride + kernelWidth > width;
    }

    /** The input's shape with the padding around it. */
    public int paddedHeight() {
        return Math.max(height + padTop, (outHeight - 1) * stride + kernelHeight);
    }

    public int paddedWidth() {
        return Math.max(width + padLeft, (outWidth - 1) * stride + kernelWidth);
    }
}
