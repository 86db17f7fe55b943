package dev.nnc.runtime.onnx;

import java.util.List;

/**
 * A model's prediction graph in ONNX's terms, without its weights: what the compiler
 * knows of the network, kept as JSON in a model's jar ({@link #RESOURCE}) so that the
 * jar exports too. Node inputs name the graph's input, earlier nodes' outputs, the
 * model's parameters, the preprocessing statistics ({@link #SHIFT}, {@link #SCALE},
 * shaped as the input) and the integer {@code constants}; {@link OnnxWriter} adds the
 * values that come with a weights file.
 *
 * @param input       the graph input's name, a tensor of [batch, ...inputShape] floats
 * @param output      the name of the node output that is the prediction, [batch, outputWidth]
 * @param constants   INT64 vectors that shape operations read (Reshape's target shapes)
 */
public record OnnxGraph(String name, String input, List<Integer> inputShape, String output, int outputWidth,
                        List<Node> nodes, List<Constant> constants) {

    /** Where a model's jar keeps its graph. */
    public static final String RESOURCE = "META-INF/nnc/onnx-graph.json";
    public static final String SHIFT = "preprocessing.shift";
    public static final String SCALE = "preprocessing.scale";

    /** An operator of the default ONNX domain applied to named values. */
    public record Node(String op, List<String> inputs, String output, List<Attribute> attributes) {}

    /** An INT or INTS attribute ({@code ints}) or a FLOAT one ({@code number}). */
    public record Attribute(String name, String type, List<Long> ints, double number) {
        public static Attribute ints(String name, long... values) {
            return new Attribute(name, "ints", java.util.Arrays.stream(values).boxed().toList(), 0);
        }

        public static Attribute integer(String name, long value) {
            return new Attribute(name, "int", List.of(value), 0);
        }

        public static Attribute number(String name, double value) {
            return new Attribute(name, "float", List.of(), value);
        }
    }

    public record Constant(String name, List<Long> values) {}
}
