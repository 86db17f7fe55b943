package dev.nnc.compiler.ir;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.check.Layer;
import dev.nnc.runtime.spec.ModelSpec.Init;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;

import dev.nnc.compiler.source.CompilerBug;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checked layers to the tensor graph: {@code dense} becomes a weight, a matmul and a
 * bias add; dropout a mask product (only when training); the loss a loss node. Dense
 * layers are numbered in the order they are reached, inputs first: dense_1, dense_2...
 */
public final class Lowering {
    private final CheckedModel model;
    private final boolean training;
    private final Graph.Builder graph = new Graph.Builder();
    private final Map<Layer, Node> lowered = new IdentityHashMap<>();
    private final Map<Layer, Activation> followedBy = new IdentityHashMap<>();
    private int denseCount;
    private int dropoutCount;
    private int convCount;

    private Lowering(CheckedModel model, boolean training) {
        this.model = model;
        this.training = training;
    }

    /** The graph of one training step's forward pass and loss (dropout on). */
    public static Graph training(CheckedModel model) {
        return new Lowering(model, true).lower();
    }

    /** The graph of inference: the same parameters, no dropout. */
    public static Graph inference(CheckedModel model) {
        return new Lowering(model, false).lower();
    }

    private Graph lower() {
        findActivations(model.output());
        Node input = graph.add(new Op.Input(model.input().shape().stream().reduce(1, (a, b) -> a * b)));
        lowered.put(model.input(), input);
        Node output = lower(model.output());
        int targetWidth = model.targetKind() == TargetKind.REAL ? model.targetShape().stream().reduce(1, (a, b) -> a * b) : 1;
        Node target = graph.add(new Op.Target(targetWidth));
        Node loss = graph.add(new Op.LossValue(model.loss()), output, target);
        return GraphVerifier.verify(graph.build(output, loss, Map.of()));
    }

    /** Which activation follows each dense layer decides its initialisation. */
    private void findActivations(Layer layer) {
        if (layer instanceof Layer.Act a) {
            followedBy.put(a.input(), a.activation());
            findActivations(a.input());
        } else {
            layer.inputs().forEach(this::findActivations);
        }
    }

    private Node lower(Layer layer) {
        Node done = lowered.get(layer);
        if (done != null) return done;
        Node node;
        if (layer instanceof Layer.Dense d) {
            node = dense(d, lower(d.input()));
        } else if (layer instanceof Layer.Act a) {
            node = graph.add(new Op.Act(a.activation(), a.alpha()), lower(a.input()));
        } else if (layer instanceof Layer.Softmax s) {
            node = graph.add(new Op.Softmax(), lower(s.input()));
        } else if (layer instanceof Layer.Dropout d) {
            Node in = lower(d.input());
            int index = dropoutCount++;
            node = training && d.p() > 0 ? graph.add(new Op.Mul(), in, graph.add(new Op.DropoutMask(d.p(), in.shape().size(), index))) : in;
        } else if (layer instanceof Layer.Add a) {
            Node left = lower(a.left());
            node = graph.add(new Op.Add(), left, lower(a.right()));
        } else if (layer instanceof Layer.Conv2d c) {
            node = conv2d(c, lower(c.input()));
        } else if (layer instanceof Layer.Pool p) {
            node = graph.add(new Op.Pool(p.window(), p.max()), lower(p.input()));
        } else if (layer instanceof Layer.Flatten f) {
            List<Integer> image = f.input().shape();
            node = graph.add(new Op.ChannelsFirst(image.get(0) * image.get(1), image.get(2)), lower(f.input()));
        } else {
            throw new CompilerBug("unlowered layer " + layer);
        }
        lowered.put(layer, node);
        return node;
    }

    /** Filters in PyTorch's layout [filters, channels, kh, kw], so weights files mean the same in both. */
    private Node conv2d(Layer.Conv2d c, Node in) {
        String name = "conv2d_" + (++convCount);
        Window w = c.window();
        int fanIn = w.channels() * w.kernelHeight() * w.kernelWidth();
        int fanOut = c.filters() * w.kernelHeight() * w.kernelWidth();
        Node filters = graph.add(new Op.Parameter(name + ".weight", List.of(c.filters(), w.channels(), w.kernelHeight(),
                w.kernelWidth()), init(c), fanIn, fanOut, true));
        if (!c.bias()) return graph.add(new Op.Conv2d(w, c.filters(), false), in, filters);
        Node b = graph.add(new Op.Parameter(name + ".bias", List.of(c.filters()), Init.ZEROS, fanIn, fanOut, false));
        return graph.add(new Op.Conv2d(w, c.filters(), true), in, filters, b);
    }

    private Init init(Layer layer) {
        Activation next = followedBy.get(layer);
        return next != null && next.rectifier() ? Init.HE_UNIFORM : Init.GLOROT_UNIFORM;
    }

    private Node dense(Layer.Dense d, Node in) {
        String name = "dense_" + (++denseCount);
        int fanIn = in.shape().size();
        Node w = graph.add(new Op.Parameter(name + ".weight", List.of(d.units(), fanIn), init(d), fanIn, d.units(), true));
        Node z = graph.add(new Op.MatMul(false, true), in, w);
        if (!d.bias()) return z;
        Node b = graph.add(new Op.Parameter(name + ".bias", List.of(d.units()), Init.ZEROS, fanIn, d.units(), false));
        return graph.add(new Op.BiasAdd(), z, b);
    }
}
