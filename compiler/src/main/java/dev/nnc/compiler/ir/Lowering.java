package dev.nnc.compiler.ir;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.check.Layer;
import dev.nnc.compiler.ir.Op.Role;
import dev.nnc.runtime.spec.ModelSpec.Init;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;

import dev.nnc.compiler.source.CompilerBug;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checked layers to the tensor graph: {@code dense} becomes a weight, a matmul and a
 * bias add; dropout a mask product (only when training); batch norm a normalization by
 * the batch's statistics (when training) or the running ones, then a scale and shift;
 * the loss a loss node. Layers are numbered in the order they are reached, inputs
 * first: dense_1, dense_2...
 */
public final class Lowering {
    private final CheckedModel model;
    private final boolean dropout;
    private final boolean batchStatistics;
    private final Graph.Builder graph = new Graph.Builder();
    /** Each running statistic's change per step: what its update adds. */
    private final Map<Node, Node> runningChanges = new LinkedHashMap<>();
    private final Map<Layer, Node> lowered = new IdentityHashMap<>();
    private final Map<Layer, Activation> followedBy = new IdentityHashMap<>();
    private int denseCount;
    private int dropoutCount;
    private int convCount;
    private int normCount;

    private Lowering(CheckedModel model, boolean dropout, boolean batchStatistics) {
        this.model = model;
        this.dropout = dropout;
        this.batchStatistics = batchStatistics;
    }

    /**
     * The graph of one training step's forward pass and loss: dropout on, batch norm by
     * the batch's statistics; its gradients map holds each running statistic's change.
     */
    public static Graph training(CheckedModel model) {
        return new Lowering(model, true, true).lower();
    }

    /** The training graph without dropout: a deterministic function of the parameters, for the gradient check. */
    public static Graph deterministicTraining(CheckedModel model) {
        return new Lowering(model, false, true).lower();
    }

    /** The graph of inference: the same parameters, no dropout, batch norm by the running statistics. */
    public static Graph inference(CheckedModel model) {
        return new Lowering(model, false, false).lower();
    }

    private Graph lower() {
        findActivations(model.output());
        Node input = graph.add(new Op.Input(model.input().shape().stream().reduce(1, (a, b) -> a * b)));
        lowered.put(model.input(), input);
        Node output = lower(model.output());
        int targetWidth = model.targetKind() == TargetKind.REAL ? model.targetShape().stream().reduce(1, (a, b) -> a * b) : 1;
        Node target = graph.add(new Op.Target(targetWidth));
        Node loss = graph.add(new Op.LossValue(model.loss()), output, target);
        return GraphVerifier.verify(graph.build(output, loss, runningChanges));
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
            node = dropout && d.p() > 0 ? graph.add(new Op.Mul(), in, graph.add(new Op.DropoutMask(d.p(), in.shape().size(), index))) : in;
        } else if (layer instanceof Layer.Add a) {
            Node left = lower(a.left());
            node = graph.add(new Op.Add(), left, lower(a.right()));
        } else if (layer instanceof Layer.Conv2d c) {
            node = conv2d(c, lower(c.input()));
        } else if (layer instanceof Layer.Pool p) {
            node = graph.add(new Op.Pool(p.window(), p.max()), lower(p.input()));
        } else if (layer instanceof Layer.BatchNorm b) {
            node = batchNorm(b, lower(b.input()));
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
                w.kernelWidth()), init(c), fanIn, fanOut, Role.PENALIZED));
        if (!c.bias()) return graph.add(new Op.Conv2d(w, c.filters(), false), in, filters);
        Node b = graph.add(new Op.Parameter(name + ".bias", List.of(c.filters()), Init.ZEROS, fanIn, fanOut, Role.TRAINED));
        return graph.add(new Op.Conv2d(w, c.filters(), true), in, filters, b);
    }

    /**
     * Named and ordered as PyTorch's BatchNorm2d/BatchNorm1d: weight (the scale), bias (the
     * shift), running_mean, running_var. Training normalizes by the statistics of the rows
     * it computes together (a part of the batch: see the README) and moves the running
     * statistics towards them.
     */
    private Node batchNorm(Layer.BatchNorm b, Node x) {
        String name = "batch_norm_" + (++normCount);
        int c = b.channels();
        Node scale = graph.add(new Op.Parameter(name + ".weight", List.of(c), Init.ONES, c, c, Role.TRAINED));
        Node shift = graph.add(new Op.Parameter(name + ".bias", List.of(c), Init.ZEROS, c, c, Role.TRAINED));
        Node runningMean = graph.add(new Op.Parameter(name + ".running_mean", List.of(c), Init.ZEROS, c, c, Role.RUNNING));
        Node runningVariance = graph.add(new Op.Parameter(name + ".running_var", List.of(c), Init.ONES, c, c, Role.RUNNING));
        Node mean = runningMean;
        Node variance = runningVariance;
        if (batchStatistics) {
            mean = graph.add(new Op.ChannelMean(c), x);
            variance = graph.add(new Op.ChannelVariance(c), x, mean);
            runningChanges.put(runningMean, graph.add(new Op.RunningChange(b.momentum(), b.pixels(), false), mean, runningMean));
            runningChanges.put(runningVariance,
                    graph.add(new Op.RunningChange(b.momentum(), b.pixels(), true), variance, runningVariance));
        }
        Node normalized = graph.add(new Op.Normalize(c, b.eps()), x, mean, variance);
        return graph.add(new Op.ChannelAffine(c), normalized, scale, shift);
    }

    private Init init(Layer layer) {
        Activation next = followedBy.get(layer);
        return next != null && next.rectifier() ? Init.HE_UNIFORM : Init.GLOROT_UNIFORM;
    }

    private Node dense(Layer.Dense d, Node in) {
        String name = "dense_" + (++denseCount);
        int fanIn = in.shape().size();
        Node w = graph.add(new Op.Parameter(name + ".weight", List.of(d.units(), fanIn), init(d), fanIn, d.units(), Role.PENALIZED));
        Node z = graph.add(new Op.MatMul(false, true), in, w);
        if (!d.bias()) return z;
        Node b = graph.add(new Op.Parameter(name + ".bias", List.of(d.units()), Init.ZEROS, fanIn, d.units(), Role.TRAINED));
        return graph.add(new Op.BiasAdd(), z, b);
    }
}
