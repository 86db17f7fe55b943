package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.Loop;
import dev.nnc.compiler.loop.VectorLoop;
import dev.nnc.compiler.loop.VectorMatMul;

import java.util.List;

/**
 * Everything the class emitter needs, and nothing of the graph: the arrays to
 * allocate, the kernel methods, and which kernels each public method runs in order.
 *
 * @param className the internal name, e.g. {@code nnc/models/Iris}
 * @param doublePrecision arrays of double instead of float (for gradient checks)
 * @param parameters the parameter buffers in spec order; {@code g<i>} are their gradients
 * @param packedWeights the weights that prediction multiplies by from a packed copy, once packed
 * @param reluOutputs the buffers that hold the outputs of prediction's relu stages, in graph order
 * @param predictionRowFloats the floats per row of every buffer prediction writes (its working set)
 * @param split whether the class is laid out split (see {@link Layout}): for a model one class file cannot hold
 * @param inputProduct the training kernel a trainer may compute over a whole batch itself, or null
 */
public record ClassPlan(
        String className,
        boolean doublePrecision,
        String specJson,
        List<Buffer> buffers,
        int parameterCount,
        List<Loop.Function> kernels,
        List<String> predict,
        List<String> evaluate,
        List<String> train,
        List<List<String>> updateSlices,
        String inferenceOutput,
        String trainingOutput,
        List<VectorMatMul> vectorKernels,
        List<VectorLoop> vectorLoops,
        List<Loop.PackedWeight> packedWeights,
        List<String> reluOutputs,
        int predictionRowFloats,
        boolean split,
        InputProduct inputProduct) {

    /** Whether there is a Vector API helper class. */
    public boolean hasVectorCode() {
        return !vectorKernels.isEmpty() || !vectorLoops.isEmpty() || !tallProducts().isEmpty();
    }

    /** The packed weights whose products prediction computes in the helper's tall tiles (see {@link TallTileEmitter}). */
    public List<Loop.PackedWeight> tallProducts() {
        return packedWeights.stream().filter(TallTileEmitter::applies).toList();
    }

    /** The class of the Vector API products, beside the model class. */
    public String helperClassName() {
        return className + "$Vector";
    }

    /**
     * The training kernel that is the first dense layer's weight gradient alone, from the
     * input x and the layer's delta (see {@link dev.nnc.runtime.InputProduct}): kernel
     * {@code kernel} calls the helper's {@code method} to write gradient {@code parameter}
     * (outputs by inputs) from the buffer {@code delta}.
     */
    public record InputProduct(String kernel, String method, String delta, int parameter, int outputs, int inputs) {}

    /** An array field: {@code size} elements, times the largest batch when {@code batched}. */
    public record Buffer(String name, boolean batched, int size) {}
}
