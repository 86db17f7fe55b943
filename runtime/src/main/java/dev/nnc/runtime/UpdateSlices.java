package dev.nnc.runtime;

/**
 * The optimizer update of a compiled model is cut into a fixed number of slices, each
 * a range of every parameter tensor, so that threads can share it: which thread runs a
 * slice changes nothing, the weights are the same for any number of threads. Slice
 * boundaries fall on multiples of 64 elements (whole vectors) but at the tensor's end.
 * The compiler and the trainer both cut tensors here.
 */
public final class UpdateSlices {
    public static final int COUNT = 4;
    private static final int ALIGN = 64;

    private UpdateSlices() {}

    /** The first element of {@code slice} in a tensor of {@code size} elements. */
    public static int start(int size, int slice) {
        if (slice <= 0) return 0;
        if (slice >= COUNT) return size;
        long even = (long) size * slice / COUNT;
        return (int) (even - even % ALIGN);
    }

    /** One past the last element of {@code slice}. */
    public static int end(int size, int slice) {
        return start(size, slice + 1);
    }
}
