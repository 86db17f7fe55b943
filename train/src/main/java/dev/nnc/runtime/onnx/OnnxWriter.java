package dev.nnc.runtime.onnx;

import dev.nnc.runtime.json.Json;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.ParameterSpec;
import dev.nnc.runtime.weights.AtomicFiles;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.Safetensors;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes an ONNX model, IR version 8 and opset 17, from a prediction graph and a
 * weights file: the parameters and the preprocessing statistics become initializers,
 * the batch axis is named {@code batch}, and the model's name and class names go into
 * {@code metadata_props}. The field numbers are those of onnx.proto.
 */
public final class OnnxWriter {
    static final int IR_VERSION = 8;
    static final int OPSET = 17;

    // onnx.proto's field numbers, by message
    private static final int MODEL_IR_VERSION = 1, MODEL_PRODUCER_NAME = 2, MODEL_PRODUCER_VERSION = 3,
            MODEL_GRAPH = 7, MODEL_OPSET_IMPORT = 8, MODEL_METADATA_PROPS = 14;
    private static final int OPSET_VERSION = 2;
    private static final int ENTRY_KEY = 1, ENTRY_VALUE = 2;
    private static final int GRAPH_NODE = 1, GRAPH_NAME = 2, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1, ATTRIBUTE_F = 2, ATTRIBUTE_I = 3, ATTRIBUTE_INTS = 8, ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_FLOAT = 1, ATTRIBUTE_TYPE_INT = 2, ATTRIBUTE_TYPE_INTS = 7;
    private static final int TENSOR_DIMS = 1, TENSOR_DATA_TYPE = 2, TENSOR_NAME = 8, TENSOR_RAW_DATA = 9;
    private static final int FLOAT = 1, INT64 = 7;
    private static final int VALUE_NAME = 1, VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1, TENSOR_TYPE_ELEM_TYPE = 1, TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1, DIM_VALUE = 1, DIM_PARAM = 2;

    private OnnxWriter() {}

    /**
     * Checks the weights against the model (a {@link dev.nnc.runtime.UserError} when
     * they are another model's, and then no file is written) and writes the ONNX file.
     */
    public static void export(OnnxGraph graph, ModelSpec spec, Path weights, Path onnx) throws IOException {
        Safetensors.Contents contents = Safetensors.read(weights);
        Preprocessor preprocessor = WeightsFile.check(contents, weights.toString(), spec);
        AtomicFiles.write(onnx, bytes(graph, spec, contents, preprocessor));
    }

    public static byte[] bytes(OnnxGraph graph, ModelSpec spec, Safetensors.Contents weights, Preprocessor preprocessor) {
        ProtoMessage g = new ProtoMessage();
        for (int i = 0; i < graph.nodes().size(); i++) g.message(GRAPH_NODE, node(graph.nodes().get(i), i));
        g.string(GRAPH_NAME, graph.name());
        Set<String> read = new HashSet<>();
        graph.nodes().forEach(n -> read.addAll(n.inputs()));
        for (ParameterSpec p : spec.parameters()) {
            if (read.contains(p.name())) g.message(GRAPH_INITIALIZER, floats(p.name(), p.shape(), weights.tensors().get(p.name()).data()));
        }
        if (read.contains(OnnxGraph.SHIFT)) g.message(GRAPH_INITIALIZER, floats(OnnxGraph.SHIFT, graph.inputShape(), preprocessor.shift()));
        if (read.contains(OnnxGraph.SCALE)) g.message(GRAPH_INITIALIZER, floats(OnnxGraph.SCALE, graph.inputShape(), preprocessor.scale()));
        for (OnnxGraph.Constant c : graph.constants()) g.message(GRAPH_INITIALIZER, longs(c.name(), c.values()));
        g.message(GRAPH_INPUT, value(graph.input(), graph.inputShape()));
        g.message(GRAPH_OUTPUT, value(graph.output(), List.of(graph.outputWidth())));

        ProtoMessage model = new ProtoMessage()
                .int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "nnc")
                .string(MODEL_PRODUCER_VERSION, "0.1.0")
                .message(MODEL_GRAPH, g)
                .message(MODEL_OPSET_IMPORT, new ProtoMessage().int64(OPSET_VERSION, OPSET));
        model.message(MODEL_METADATA_PROPS, entry("model", spec.name()));
        if (!spec.classNames().isEmpty()) model.message(MODEL_METADATA_PROPS, entry("classes", Json.write(spec.classNames())));
        return model.toByteArray();
    }

    private static ProtoMessage node(OnnxGraph.Node n, int index) {
        ProtoMessage node = new ProtoMessage();
        n.inputs().forEach(input -> node.string(NODE_INPUT, input));
        node.string(NODE_OUTPUT, n.output()).string(NODE_NAME, n.op() + "_" + index).string(NODE_OP_TYPE, n.op());
        for (OnnxGraph.Attribute a : n.attributes()) {
            ProtoMessage attribute = new ProtoMessage().string(ATTRIBUTE_NAME, a.name());
            switch (a.type()) {
                case "float" -> attribute.float32(ATTRIBUTE_F, (float) a.number()).int32(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
                case "int" -> attribute.int64(ATTRIBUTE_I, a.ints().get(0)).int32(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
                case "ints" -> {
                    a.ints().forEach(v -> attribute.int64(ATTRIBUTE_INTS, v));
                    attribute.int32(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INTS);
                }
                default -> throw new IllegalArgumentException("attribute type " + a.type());
            }
            node.message(NODE_ATTRIBUTE, attribute);
        }
        return node;
    }

    private static ProtoMessage floats(String name, List<Integer> dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(name, dims.stream().map(Integer::longValue).toList(), FLOAT, raw.array());
    }

    private static ProtoMessage longs(String name, List<Long> values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(raw::putLong);
        return tensor(name, List.of((long) values.size()), INT64, raw.array());
    }

    private static ProtoMessage tensor(String name, List<Long> dims, int type, byte[] raw) {
        ProtoMessage tensor = new ProtoMessage();
        dims.forEach(d -> tensor.int64(TENSOR_DIMS, d));
        return tensor.int32(TENSOR_DATA_TYPE, type).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw);
    }

    /** A float tensor of [batch, ...dims]. */
    private static ProtoMessage value(String name, List<Integer> dims) {
        ProtoMessage shape = new ProtoMessage().message(SHAPE_DIM, new ProtoMessage().string(DIM_PARAM, "batch"));
        dims.forEach(d -> shape.message(SHAPE_DIM, new ProtoMessage().int64(DIM_VALUE, d)));
        ProtoMessage tensorType = new ProtoMessage().int32(TENSOR_TYPE_ELEM_TYPE, FLOAT).message(TENSOR_TYPE_SHAPE, shape);
        return new ProtoMessage().string(VALUE_NAME, name).message(VALUE_TYPE, new ProtoMessage().message(TYPE_TENSOR, tensorType));
    }

    private static ProtoMessage entry(String key, String value) {
        return new ProtoMessage().string(ENTRY_KEY, key).string(ENTRY_VALUE, value);
    }
}
