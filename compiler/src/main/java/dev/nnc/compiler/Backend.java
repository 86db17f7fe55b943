package dev.nnc.compiler;

import dev.nnc.compiler.emit.ClassPlan;
import dev.nnc.compiler.fuse.Fusion;
import dev.nnc.compiler.fuse.Kernel;
import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;
import dev.nnc.compiler.loop.Buffers;
import dev.nnc.compiler.loop.KernelLowering;
import dev.nnc.compiler.loop.Loop;
import dev.nnc.compiler.loop.VectorLoop;
import dev.nnc.compiler.loop.VectorMatMul;
import dev.nnc.compiler.source.CompilerBug;
import dev.nnc.runtime.UpdateSlices;

import java.util.*;

/**
 * From the two graphs to the plan of the class: fuse each into kernels, lower each
 * kernel to a loop nest, name and size every buffer. The inference graph serves
 * predict and evaluate; the differentiated training graph serves gradients; the
 * update kernels serve update.
 */
final class Backend {
    private final List<Loop.Function> functions = new ArrayList<>();
    private final Map<String, ClassPlan.Buffer> buffers = new LinkedHashMap<>();
    private final List<String> descriptions = new ArrayList<>();
    private List<VectorMatMul> vectorKernels;
    private List<VectorLoop> vectorLoops;
    private Map<String, Loop.PackedWeight> packedWeights;

    record Plan(ClassPlan classPlan, List<String> inferenceKernels, List<String> trainingKernels) {}

    /**
     * {@code split}: the plan of a class laid out over several class files, for a model
     * that one cannot hold; its kernels are the scalar loops only, which need no helper
     * class, and prediction reads its weights unpacked.
     */
    static Plan plan(String className, boolean doublePrecision, boolean split, String specJson, Graph inference,
                     Graph training, Optimizer optimizer, Penalty penalty) {
        return new Backend().build(className, doublePrecision, split, specJson, inference, training, optimizer, penalty);
    }

    private Plan build(String className, boolean doublePrecision, boolean split, String specJson, Graph inference,
                       Graph training, Optimizer optimizer, Penalty penalty) {
        boolean scalarOnly = doublePrecision || split;
        vectorKernels = scalarOnly ? null : new ArrayList<>();
        vectorLoops = scalarOnly ? null : new ArrayList<>();
        packedWeights = scalarOnly ? null : new LinkedHashMap<>();
        List<Node> parameters = inference.parameters();
        List<String> names = parameters.stream().map(n -> ((Op.Parameter) n.op()).name()).toList();
        for (int i = 0; i < names.size(); i++) {
            Node p = parameters.get(i);
            buffers.put(Buffers.parameter(i), new ClassPlan.Buffer(Buffers.parameter(i), false, p.shape().size()));
            buffers.put(Buffers.gradient(i), new ClassPlan.Buffer(Buffers.gradient(i), false, p.shape().size()));
            for (int s = 0; s < optimizer.stateSlots(); s++) {
                String state = Buffers.state(i, s);
                buffers.put(state, new ClassPlan.Buffer(state, false, p.shape().size()));
            }
        }
        Buffers inferenceNames = new Buffers("i", names, inference);
        Buffers trainingNames = new Buffers("t", names, training);

        List<String> predict = lower("predict", Fusion.kernels(inference, List.of(inference.output())), inferenceNames, true);
        int predictionRowFloats = buffers.values().stream().filter(ClassPlan.Buffer::batched)
                .mapToInt(ClassPlan.Buffer::size).sum();
        List<String> evaluate = lower("evaluate", Fusion.kernels(inference, List.of(inference.output(), inference.loss())),
                inferenceNames, true);
        int inferenceCount = descriptions.size();
        List<Node> trainingRoots = new ArrayList<>(List.of(training.output(), training.loss()));
        trainingRoots.addAll(training.gradients().values());
        List<String> train = lower("train", Fusion.kernels(training, trainingRoots), trainingNames, false);
        List<List<String>> update = lowerUpdates(Fusion.updates(training, optimizer, penalty), trainingNames);

        ClassPlan plan = new ClassPlan(className, doublePrecision, specJson, List.copyOf(buffers.values()), names.size(),
                functions, predict, evaluate, train, update,
                inferenceNames.name(inference.output()), trainingNames.name(training.output()),
                vectorKernels == null ? List.of() : List.copyOf(vectorKernels),
                vectorLoops == null ? List.of() : List.copyOf(vectorLoops),
                packedWeights == null ? List.of() : List.copyOf(packedWeights.values()),
                reluOutputs(inference, inferenceNames), predictionRowFloats, split, inputProduct(train, names.size()));
        List<String> inferenceKernels = descriptions.subList(0, inferenceCount).stream()
                .filter(d -> d.startsWith("predict")).toList();
        List<String> trainingKernels = descriptions.subList(inferenceCount, descriptions.size());
        return new Plan(plan, inferenceKernels, List.copyOf(trainingKernels));
    }

    /** Each update kernel a slice at a time: update_s_i is slice s of parameter i's update (none when empty). */
    private List<List<String>> lowerUpdates(List<Kernel> kernels, Buffers names) {
        KernelLowering lowering = new KernelLowering(names, vectorKernels, vectorLoops, null);
        for (int i = 0; i < kernels.size(); i++) descriptions.add("update_" + i + ": " + kernels.get(i).describe());
        List<List<String>> slices = new ArrayList<>();
        for (int slice = 0; slice < UpdateSlices.COUNT; slice++) {
            List<String> calls = new ArrayList<>();
            for (int i = 0; i < kernels.size(); i++) {
                String name = "update_" + slice + "_" + i;
                List<Loop.Stmt> body = lowering.lowerUpdate((Kernel.Update) kernels.get(i), slice, name);
                if (body.isEmpty()) continue;
                functions.add(new Loop.Function(name, kernels.get(i).describe(), body));
                calls.add(name);
            }
            slices.add(calls);
        }
        return slices;
    }

    /**
     * The training kernel that computes a weight's gradient as the product of a delta and
     * the input x alone, in the Vector API's axpy form ({@code g[o][i] = sum_r delta[r][o]
     * x[r][i]}): the first dense layer's, which a trainer may compute over a whole batch
     * (see {@link dev.nnc.runtime.InputProduct}). Its output named {@code g<i>} makes it
     * the parameter's whole gradient, which no other kernel writes. Null when there is none.
     */
    private ClassPlan.InputProduct inputProduct(List<String> train, int parameters) {
        if (vectorKernels == null) return null;
        // by name, once: a network of thousands of layers has thousands of kernels
        Map<String, Loop.Function> byName = new HashMap<>();
        for (Loop.Function fn : functions) byName.putIfAbsent(fn.name(), fn);
        for (String kernel : train) {
            Loop.Function f = byName.get(kernel);
            CompilerBug.check(f != null, "no function for the training kernel " + kernel);
            if (f.body().size() != 1 || !(f.body().get(0) instanceof Loop.Choose choose) || choose.vector().size() != 1
                    || !(choose.vector().get(0) instanceof Loop.VectorCall call) || call.scratch() != null || !call.b().equals("x")) {
                continue;
            }
            VectorMatMul product = vectorKernels.stream().filter(v -> v.name().equals(call.method())).findFirst().orElseThrow();
            if (!product.transposeA() || product.k() != -1 || product.m() < 0 || product.n() < 0) continue;
            for (int i = 0; i < parameters; i++) {
                if (call.out().equals(Buffers.gradient(i))) {
                    return new ClassPlan.InputProduct(kernel, call.method(), call.a(), i, product.m(), product.n());
                }
            }
        }
        return null;
    }

    /** The buffers of prediction's relu outputs, for the trainer's count of units that never fire. */
    private List<String> reluOutputs(Graph inference, Buffers names) {
        List<String> outputs = new ArrayList<>();
        for (Node n : inference.nodes()) {
            if (n.op() instanceof Op.Act a && a.activation() == dev.nnc.compiler.ir.Activation.RELU
                    && buffers.containsKey(names.name(n))) {
                outputs.add(names.name(n));
            }
        }
        return outputs;
    }

    /** {@code prediction}: the weights do not change while these kernels run, so products may use packed weights. */
    private List<String> lower(String phase, List<Kernel> kernels, Buffers names, boolean prediction) {
        KernelLowering lowering = new KernelLowering(names, vectorKernels, vectorLoops, prediction ? packedWeights : null);
        List<String> calls = new ArrayList<>();
        for (Kernel k : kernels) {
            for (Node n : k.fused()) allocate(n, names);
            String name = phase + "_" + calls.size();
            functions.add(new Loop.Function(name, k.describe(), lowering.lower(k, name)));
            descriptions.add(name + ": " + k.describe());
            calls.add(name);
        }
        for (Loop.Scratch s : lowering.scratch()) {
            buffers.putIfAbsent(s.name(), new ClassPlan.Buffer(s.name(), s.batched(), s.size()));
        }
        return calls;
    }

    private void allocate(Node n, Buffers names) {
        if (!Buffers.owned(n)) return;
        String name = names.name(n);
        buffers.putIfAbsent(name, new ClassPlan.Buffer(name, n.shape().batched(), n.shape().size()));
    }
}
