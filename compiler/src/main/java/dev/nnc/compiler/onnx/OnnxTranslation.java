package dev.nnc.compiler.onnx;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Window;
import dev.nnc.runtime.onnx.OnnxGraph;
import dev.nnc.runtime.onnx.OnnxGraph.Attribute;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates the prediction graph into ONNX operators, node by node from the input to
 * the output. Values stay rows of [batch, width], as nnc keeps them, except in the
 * image layers: ONNX convolves and pools [batch, channels, height, width], so an image
 * is kept in that layout while the layers that follow read it so, and is reshaped and
 * transposed into a row only where a row is read. The input's preprocessing comes
 * first, so that the ONNX model takes the raw inputs {@code nnc predict} takes.
 */
public final class OnnxTranslation {
    /** An op that has no ONNX translation yet: the user's to hear about, naming it. */
    public static final class Untranslatable extends RuntimeException {
        Untranslatable(String what) {
            super("error: the model cannot be exported to ONNX: " + what + " has no ONNX translation yet");
        }
    }

    private record Image(int height, int width, int channels) {
        static Image input(Window w) {
            return new Image(w.height(), w.width(), w.channels());
        }

        static Image output(Window w, int channels) {
            return new Image(w.outHeight(), w.outWidth(), channels);
        }
    }

    private final CheckedModel model;
    private final List<OnnxGraph.Node> nodes = new ArrayList<>();
    private final Map<List<Long>, String> shapes = new LinkedHashMap<>();
    /** Each node's value as rows of [batch, width] and, for images, as [batch, c, h, w], once made. */
    private final Map<Node, String> rows = new HashMap<>();
    private final Map<Node, String> planes = new HashMap<>();
    private final Map<Node, Image> images = new HashMap<>();
    private String input;

    private OnnxTranslation(CheckedModel model) {
        this.model = model;
    }

    public static OnnxGraph translate(CheckedModel model, Graph inference) {
        return new OnnxTranslation(model).translate(inference);
    }

    private OnnxGraph translate(Graph graph) {
        BitSet needed = ancestors(graph.output());
        for (Node n : graph.nodes()) {
            if (needed.get(n.id())) translate(n);
        }
        add("Identity", List.of(row(graph.output())), model.outputName(), List.of());
        List<OnnxGraph.Constant> constants = new ArrayList<>();
        shapes.forEach((values, name) -> constants.add(new OnnxGraph.Constant(name, values)));
        return new OnnxGraph(model.name(), model.input().name(), model.input().shape(), model.outputName(),
                graph.output().shape().size(), List.copyOf(nodes), constants);
    }

    /** The nodes the output depends on (iteratively: a pipeline may have thousands of stages). */
    private static BitSet ancestors(Node output) {
        BitSet seen = new BitSet();
        Deque<Node> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (seen.get(n.id())) continue;
            seen.set(n.id());
            n.inputs().forEach(todo::push);
        }
        return seen;
    }

    private void translate(Node n) {
        Op op = n.op();
        if (op instanceof Op.Input) {
            input(n);
        } else if (op instanceof Op.Parameter p) {
            rows.put(n, p.name());
        } else if (op instanceof Op.MatMul m) {
            if (n.input(0).op() instanceof Op.Parameter || !(n.input(1).op() instanceof Op.Parameter)) {
                throw new Untranslatable("a product of " + n.input(0).op() + " and " + n.input(1).op());
            }
            rows.put(n, add("Gemm", List.of(row(n.input(0)), row(n.input(1))), List.of(
                    Attribute.integer("transA", m.transposeA() ? 1 : 0), Attribute.integer("transB", m.transposeB() ? 1 : 0))));
        } else if (op instanceof Op.BiasAdd) {
            rows.put(n, add("Add", List.of(row(n.input(0)), row(n.input(1))), List.of()));
        } else if (op instanceof Op.Add) {
            elementwise(n, "Add", List.of());
        } else if (op instanceof Op.Mul) {
            elementwise(n, "Mul", List.of());
        } else if (op instanceof Op.Act a) {
            activation(n, a);
        } else if (op instanceof Op.Softmax) {
            rows.put(n, add("Softmax", List.of(row(n.input(0))), List.of(Attribute.integer("axis", 1))));
        } else if (op instanceof Op.Copy) {
            rows.put(n, row(n.input(0)));
        } else if (op instanceof Op.Conv2d c) {
            List<String> in = new ArrayList<>(List.of(plane(n.input(0), Image.input(c.window())), row(n.input(1))));
            if (c.bias()) in.add(row(n.input(2)));
            image(n, add("Conv", in, window(c.window())), Image.output(c.window(), c.filters()));
        } else if (op instanceof Op.Pool p) {
            image(n, add(p.max() ? "MaxPool" : "AveragePool", List.of(plane(n.input(0), Image.input(p.window()))),
                    window(p.window())), Image.output(p.window(), p.window().channels()));
        } else if (op instanceof Op.Normalize) {
            // translated together with the scale and shift that read it, as one BatchNormalization
        } else if (op instanceof Op.ChannelAffine && n.input(0).op() instanceof Op.Normalize z) {
            batchNormalization(n, n.input(0), z);
        } else if (op instanceof Op.ChannelsFirst f) {
            rows.put(n, channelsFirst(n.input(0), f));
        } else {
            throw new Untranslatable(op.getClass().getSimpleName());
        }
    }

    /** The graph input, preprocessed: (x - shift) * scale, with the statistics of the weights file. */
    private void input(Node n) {
        input = model.input().name();
        if (!model.preprocessing().kind().equals("none")) {
            input = add("Mul", List.of(add("Sub", List.of(input, OnnxGraph.SHIFT), List.of()), OnnxGraph.SCALE), List.of());
        }
        List<Integer> shape = model.input().shape();
        if (shape.size() == 1) {
            rows.put(n, input);
        } else if (shape.size() == 3) {
            image(n, add("Transpose", List.of(input), List.of(Attribute.ints("perm", 0, 3, 1, 2))),
                    new Image(shape.get(0), shape.get(1), shape.get(2)));
        } else {
            rows.put(n, reshape(input, 0, n.shape().size()));
        }
    }

    /** An element-wise op: on the planes when every operand is an image of the same size there, else on rows. */
    private void elementwise(Node n, String op, List<Attribute> attributes) {
        Image image = images.get(n.input(0));
        boolean planar = image != null && n.inputs().stream().allMatch(i -> image.equals(images.get(i)));
        if (planar) {
            image(n, add(op, n.inputs().stream().map(i -> plane(i, image)).toList(), attributes), image);
        } else {
            rows.put(n, add(op, n.inputs().stream().map(this::row).toList(), attributes));
        }
    }

    private void activation(Node n, Op.Act a) {
        switch (a.activation()) {
            case RELU -> elementwise(n, "Relu", List.of());
            case LEAKY_RELU -> elementwise(n, "LeakyRelu", List.of(Attribute.number("alpha", a.alpha())));
            case ELU -> elementwise(n, "Elu", List.of(Attribute.number("alpha", a.alpha())));
            case TANH -> elementwise(n, "Tanh", List.of());
            case SIGMOID -> elementwise(n, "Sigmoid", List.of());
            case SOFTPLUS -> elementwise(n, "Softplus", List.of());
            case STEP -> { // 1 where z > 0, else 0: relu(sign(z))
                elementwise(n, "Sign", List.of());
                if (images.containsKey(n)) {
                    image(n, add("Relu", List.of(planes.get(n)), List.of()), images.get(n));
                } else {
                    rows.put(n, add("Relu", List.of(rows.get(n)), List.of()));
                }
            }
        }
    }

    /** BatchNormalization of ONNX (in prediction: by the running statistics) on [batch, channels, ...]: planes or rows. */
    private void batchNormalization(Node affine, Node normalize, Op.Normalize z) {
        Node x = normalize.input(0);
        Image image = images.get(x);
        List<String> in = List.of(image != null ? plane(x, image) : row(x), row(affine.input(1)), row(affine.input(2)),
                row(normalize.input(1)), row(normalize.input(2)));
        String out = add("BatchNormalization", in, List.of(Attribute.number("epsilon", z.eps())));
        if (image != null) {
            image(affine, out, image);
        } else {
            rows.put(affine, out);
        }
    }

    /** Flatten as PyTorch does, channel by channel: straight from the planes, or from channels-last rows. */
    private String channelsFirst(Node x, Op.ChannelsFirst f) {
        if (planes.containsKey(x)) return add("Flatten", List.of(planes.get(x)), List.of(Attribute.integer("axis", 1)));
        String pixels = reshape(row(x), 0, f.pixels(), f.channels());
        return reshape(add("Transpose", List.of(pixels), List.of(Attribute.ints("perm", 0, 2, 1))), 0, -1);
    }

    private static List<Attribute> window(Window w) {
        int padBottom = w.paddedHeight() - w.height() - w.padTop();
        int padRight = w.paddedWidth() - w.width() - w.padLeft();
        return List.of(Attribute.ints("kernel_shape", w.kernelHeight(), w.kernelWidth()),
                Attribute.ints("strides", w.stride(), w.stride()),
                Attribute.ints("pads", w.padTop(), w.padLeft(), padBottom, padRight));
    }

    private void image(Node n, String plane, Image image) {
        planes.put(n, plane);
        images.put(n, image);
    }

    /** A node's value as rows: channels last for an image, as nnc keeps it. */
    private String row(Node n) {
        String row = rows.get(n);
        if (row != null) return row;
        String plane = planes.get(n);
        if (plane == null) throw new IllegalStateException("no value for " + n);
        row = reshape(add("Transpose", List.of(plane), List.of(Attribute.ints("perm", 0, 2, 3, 1))), 0, -1);
        rows.put(n, row);
        return row;
    }

    /** A node's value as [batch, c, h, w]. */
    private String plane(Node n, Image image) {
        String plane = planes.get(n);
        if (plane != null) return plane;
        String hwc = reshape(row(n), 0, image.height(), image.width(), image.channels());
        plane = add("Transpose", List.of(hwc), List.of(Attribute.ints("perm", 0, 3, 1, 2)));
        image(n, plane, image);
        return plane;
    }

    /** Reshape to these dimensions; 0 keeps the batch, -1 takes what is left. */
    private String reshape(String value, long... dims) {
        List<Long> key = Arrays.stream(dims).boxed().toList();
        String shape = shapes.computeIfAbsent(key, k -> "shape:" + shapes.size());
        return add("Reshape", List.of(value, shape), List.of());
    }

    private String add(String op, List<String> inputs, List<Attribute> attributes) {
        return add(op, inputs, "value:" + nodes.size(), attributes);
    }

    private String add(String op, List<String> inputs, String output, List<Attribute> attributes) {
        nodes.add(new OnnxGraph.Node(op, inputs, output, attributes));
        return output;
    }
}
