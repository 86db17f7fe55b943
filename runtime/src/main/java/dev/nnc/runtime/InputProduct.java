package dev.nnc.runtime;

/**
 * The weight gradient of a network's first dense layer, {@code g[o][i] = sum over rows r
 * of delta[r][o] x[r][i]}, which a trainer may compute over a whole batch at once
 * instead of part by part (see {@link Network#inputProduct()}): it reads only the
 * batch's input rows and the layer's delta, so each thread can compute the rows of the
 * gradient that its share of the update needs, where the update then reads them, and no
 * part writes a copy of the largest gradient to be summed.
 *
 * @param parameter the index of the weight among the network's parameters
 * @param outputs the layer's outputs: the gradient's rows, and the delta's width
 * @param inputs the network's input width: the gradient's columns
 * @param block the gradient's rows are computed in blocks of this many: a range given to
 *              {@link Network#computeInputProduct} starts on a block and ends on one or at {@code outputs}
 */
public record InputProduct(int parameter, int outputs, int inputs, int block) {
    /**
     * The network's input product when each of the update's slices ({@link UpdateSlices})
     * of its gradient is whole blocks of rows, so that a slice can compute its own rows;
     * null when it is not, or when the network has none. Every trainer that cuts a batch
     * into parts asks here, so that they all compute the same weights.
     */
    public static InputProduct inSlices(Network network) {
        InputProduct product = network.inputProduct();
        if (product == null) return null;
        int size = product.outputs() * product.inputs();
        for (int slice = 0; slice < UpdateSlices.COUNT; slice++) {
            if (!product.wholeBlocks(UpdateSlices.start(size, slice), UpdateSlices.end(size, slice))) return null;
        }
        return product;
    }

    /** Whether elements [from, to) of the gradient are whole rows that start on a block and end on one or at the end. */
    private boolean wholeBlocks(int from, int to) {
        long blockFloats = (long) block * inputs;
        return from % blockFloats == 0 && (to % blockFloats == 0 || to == outputs * inputs);
    }
}
