package dev.nnc.spark;

import dev.nnc.runtime.Network;

/** A network's parameters as they travel: copies of its tensors, in spec order. */
final class Weights {
    private Weights() {}

    static float[][] of(Network network) {
        return copy(network.parameters());
    }

    static float[][] copy(float[][] tensors) {
        return copy(tensors, -1);
    }

    /** A copy of every tensor but {@code leftOut} (-1: none), which is an empty array in the copy. */
    static float[][] copy(float[][] tensors, int leftOut) {
        float[][] copy = new float[tensors.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = i == leftOut ? new float[0] : tensors[i].clone();
        return copy;
    }

    static void load(float[][] weights, Network network) {
        float[][] parameters = network.parameters();
        for (int i = 0; i < parameters.length; i++) System.arraycopy(weights[i], 0, parameters[i], 0, parameters[i].length);
    }
}
