package dev.nnc.compiler;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.check.Layer;
import dev.nnc.compiler.ir.Window;

import java.util.*;

/**
 * What `nnc summary` prints, like Keras' model.summary(): each layer in the order it
 * is computed, its output shape and parameter count, the totals, the floating-point
 * operations per sample, and the kernels the compiler fused.
 */
public final class ModelSummary {
    public record Row(String name, String kind, List<Integer> shape, long parameters, long flops) {}

    private final List<Row> rows = new ArrayList<>();
    private final Map<Layer, String> names = new IdentityHashMap<>();
    private final Map<Layer, Row> byLayer = new IdentityHashMap<>();
    private int dense;
    private int conv;
    private int norm;

    private ModelSummary() {}

    public static List<Row> rows(CheckedModel model) {
        return of(model).rows;
    }

    /** Each layer's row (the editor's hovers show them), the input's too. */
    public static Map<Layer, Row> rowsByLayer(CheckedModel model) {
        return of(model).byLayer;
    }

    private static ModelSummary of(CheckedModel model) {
        ModelSummary s = new ModelSummary();
        s.names.put(model.input(), model.input().name());
        s.rows.add(new Row(model.input().name(), "input", model.input().shape(), 0, 0));
        s.byLayer.put(model.input(), s.rows.get(0));
        s.visit(model.output());
        return s;
    }

    private String visit(Layer layer) {
        String known = names.get(layer);
        if (known != null) return known;
        String name;
        int before = rows.size();
        if (layer instanceof Layer.Dense d) {
            visit(d.input());
            int in = d.input().shape().get(0);
            name = "dense_" + (++dense);
            rows.add(new Row(name, "dense", d.shape(), d.parameters(), 2L * in * d.units() + (d.bias() ? d.units() : 0)));
        } else if (layer instanceof Layer.Conv2d c) {
            visit(c.input());
            name = "conv2d_" + (++conv);
            Window w = c.window();
            long outputs = size(c.shape());
            long window = (long) w.kernelHeight() * w.kernelWidth() * w.channels();
            rows.add(new Row(name, "conv2d", c.shape(), c.parameters(), outputs * (2 * window + (c.bias() ? 1 : 0))));
        } else if (layer instanceof Layer.Pool p) {
            visit(p.input());
            Window w = p.window();
            name = p.global() ? "global_avgpool" : (p.max() ? "maxpool(" : "avgpool(") + w.kernelHeight()
                    + (w.stride() == w.kernelHeight() ? "" : ", stride = " + w.stride()) + ")";
            rows.add(new Row(name, "pooling", p.shape(), 0, size(p.shape()) * w.kernelHeight() * w.kernelWidth()));
        } else if (layer instanceof Layer.Flatten f) {
            visit(f.input());
            name = "flatten";
            rows.add(new Row(name, "flatten", f.shape(), 0, 0));
        } else if (layer instanceof Layer.BatchNorm b) {
            visit(b.input());
            name = "batch_norm_" + (++norm);
            // per value: minus the mean, times the inverse deviation, times the scale, plus the shift
            rows.add(new Row(name, "batch_norm", b.shape(), b.parameters(), 4 * size(b.shape())));
        } else if (layer instanceof Layer.Act a) {
            visit(a.input());
            name = a.activation().sourceName();
            rows.add(new Row(name, "activation", a.shape(), 0, size(a.shape())));
        } else if (layer instanceof Layer.Softmax s) {
            visit(s.input());
            name = "softmax";
            rows.add(new Row(name, "activation", s.shape(), 0, 3L * size(s.shape())));
        } else if (layer instanceof Layer.Dropout d) {
            visit(d.input());
            name = "dropout(" + d.p() + ")";
            rows.add(new Row(name, "dropout", d.shape(), 0, 0));
        } else if (layer instanceof Layer.Add a) {
            String left = visit(a.left());
            String right = visit(a.right());
            name = left + " + " + right;
            rows.add(new Row(name, "add", a.shape(), 0, size(a.shape())));
        } else {
            name = layer.toString();
        }
        names.put(layer, name);
        if (rows.size() > before) byLayer.put(layer, rows.get(rows.size() - 1));
        return name;
    }

    private static long size(List<Integer> shape) {
        return shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    }

    public static String render(CheckedModel model, CompiledModel compiled) {
        List<Row> rows = rows(model);
        StringBuilder out = new StringBuilder();
        out.append("Model: ").append(model.name()).append('\n');
        // the first column as wide as its longest entry ("avgpool(2, stride = 1) (pooling)"), at least 28
        int width = Math.max(28, rows.stream().mapToInt(r -> r.name().length() + r.kind().length() + 3).max().orElse(0));
        String row = "%-" + width + "s %-16s %,12d%n";
        String line = "-".repeat(width + 36) + '\n';
        out.append(line).append(String.format("%-" + width + "s %-16s %12s%n", "Layer (type)", "Output shape", "Param #"));
        out.append(line.replace('-', '='));
        long params = 0;
        long flops = 0;
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, row, r.name() + " (" + r.kind() + ")", r.shape(), r.parameters()));
            params += r.parameters();
            flops += r.flops();
        }
        out.append(line.replace('-', '='));
        out.append(String.format(Locale.ROOT, "Total params: %,d (%s as float)%n", params, bytes(params * 4)));
        out.append(String.format(Locale.ROOT, "FLOPs per sample: %,d to predict, about %,d to train (forward and backward)%n",
                flops, 3 * flops));
        long memory = dev.nnc.compiler.check.MemoryCheck.trainingBytes(model.output(), model.optimizer(), model.train());
        out.append(String.format(Locale.ROOT, "Memory to train: about %s (this JVM may use %s)%n",
                dev.nnc.compiler.check.MemoryCheck.size(memory), dev.nnc.compiler.check.MemoryCheck.size(
                        dev.nnc.compiler.check.MemoryCheck.heap())));
        out.append(line);
        out.append("Loss: ").append(model.loss().sourceName()).append(";  optimizer: ").append(model.optimizer().describe());
        if (model.penalty().active()) out.append(";  penalty: l1 ").append(model.penalty().l1()).append(", l2 ").append(model.penalty().l2());
        out.append('\n').append(line);
        out.append("Fused kernels, prediction:\n");
        compiled.inferenceKernels().forEach(k -> out.append("  ").append(k).append('\n'));
        out.append("Fused kernels, training step:\n");
        compiled.trainingKernels().forEach(k -> out.append("  ").append(k).append('\n'));
        return out.toString();
    }

    private static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        return String.format(Locale.ROOT, "%.2f MB", n / (1024.0 * 1024));
    }
}
