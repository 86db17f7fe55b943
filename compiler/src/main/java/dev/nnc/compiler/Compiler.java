package dev.nnc.compiler;

import dev.nnc.compiler.autodiff.Differentiator;
import dev.nnc.compiler.autodiff.PoolGradientRewrite;
import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.emit.ClassEmitter;
import dev.nnc.compiler.emit.ClassPlan;
import dev.nnc.compiler.emit.TypedClassSource;
import dev.nnc.compiler.emit.VectorKernelEmitter;
import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Lowering;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.PoolCoverageRewrite;
import dev.nnc.compiler.ir.StableLossRewrite;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.compiler.onnx.OnnxTranslation;
import dev.nnc.runtime.onnx.OnnxGraph;
import dev.nnc.runtime.spec.ModelSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiler driver: parse and check, lower to the tensor graph, make the loss
 * stable, differentiate, move activation derivatives through max pools, fuse, lower
 * kernels to loops, emit the class; and translate the prediction graph to ONNX.
 */
public final class Compiler {
    /** A system property that asks for the split layout whatever the model's size: for tests of that layout. */
    public static final String SPLIT_PROPERTY = "nnc.splitLayout";

    /** The package of the model classes when the caller names none. */
    public static final String DEFAULT_PACKAGE = "nnc.models";

    /**
     * Who owns a package that a model's classes cannot join, or empty: the JDK's
     * {@code java} packages, or a package of a JDK module (the typed class would not compile there).
     */
    public static Optional<String> jdkPackageOwner(String name) {
        if (name.equals("java") || name.startsWith("java.")) return Optional.of("the JDK (java.*)");
        return ModuleLayer.boot().modules().stream().filter(m -> m.getPackages().contains(name))
                .map(m -> "the JDK's module " + m.getName()).findFirst();
    }

    private Compiler() {}

    public static CompiledModel compile(SourceFile file) {
        return compile(file, DEFAULT_PACKAGE);
    }

    /** Compiles into {@code packageName}: the typed class {@code packageName.ModelName} and its network class. */
    public static CompiledModel compile(SourceFile file, String packageName) {
        return compile(Frontend.check(file), false, packageName);
    }

    public static CompiledModel compile(CheckedModel model, boolean doublePrecision) {
        return compile(model, doublePrecision, DEFAULT_PACKAGE);
    }

    /**
     * The network class ({@code Name$Network}, or {@code Name$NetworkDouble} for gradient
     * checks), its Vector API helper, and the source of the typed class {@code Name}.
     */
    public static CompiledModel compile(CheckedModel model, boolean doublePrecision, String packageName) {
        // The double-precision class exists to check gradients, which needs a deterministic forward pass
        // (no dropout) whose evaluation is the function differentiated (batch norm by the batch's statistics).
        Graph forward = doublePrecision ? Lowering.deterministicTraining(model) : Lowering.training(model);
        // the model as written: its spec (whose architecture digest weights files carry) and its ONNX export
        Graph written = StableLossRewrite.rewrite(doublePrecision ? forward : Lowering.inference(model));
        // what the generated code computes
        Graph inference = PoolCoverageRewrite.rewrite(written);
        Graph training = PoolGradientRewrite.rewrite(Differentiator.differentiate(
                StableLossRewrite.rewrite(PoolCoverageRewrite.rewrite(forward))));
        ModelSpec spec = spec(model, written);
        String typedName = packageName + "." + model.name();
        String className = typedName + (doublePrecision ? "$NetworkDouble" : "$Network");
        String internalName = className.replace('.', '/');
        boolean split = Boolean.getBoolean(SPLIT_PROPERTY);
        Backend.Plan plan = Backend.plan(internalName, doublePrecision, split, spec.toJson(),
                inference, training, model.optimizer(), model.penalty());
        Map<String, byte[]> classes;
        try {
            classes = emit(plan.classPlan());
        } catch (ClassEmitter.TooLarge e) {
            if (split) throw e;
            // more fields and methods than one class file holds: the split layout, over several
            plan = Backend.plan(internalName, doublePrecision, true, spec.toJson(), inference, training,
                    model.optimizer(), model.penalty());
            classes = emit(plan.classPlan());
        }
        byte[] classFile = classes.remove(className);
        OnnxGraph onnx = null;
        String onnxProblem = doublePrecision ? "the gradient check's class predicts with the batch's statistics" : null;
        try {
            if (!doublePrecision) onnx = OnnxTranslation.translate(model, written);
        } catch (OnnxTranslation.Untranslatable e) {
            onnxProblem = e.getMessage();
        }
        return new CompiledModel(className, classFile, typedName, TypedClassSource.write(packageName, spec), spec,
                plan.inferenceKernels(), plan.trainingKernels(), classes, onnx, onnxProblem);
    }

    /** The model class and its companions (kernel classes, the Vector API helper) by binary name. */
    private static Map<String, byte[]> emit(ClassPlan plan) {
        Map<String, byte[]> classes = new LinkedHashMap<>(ClassEmitter.emit(plan));
        if (plan.hasVectorCode()) {
            classes.put(plan.helperClassName().replace('/', '.'),
                    VectorKernelEmitter.emit(plan.helperClassName(), plan.vectorKernels(), plan.vectorLoops(), plan.tallProducts()));
        }
        return classes;
    }

    private static ModelSpec spec(CheckedModel model, Graph inference) {
        List<ModelSpec.ParameterSpec> parameters = inference.parameters().stream().map(n -> {
            Op.Parameter p = (Op.Parameter) n.op();
            return new ModelSpec.ParameterSpec(p.name(), p.dims(), p.init(), p.fanIn(), p.fanOut(), p.statistic());
        }).toList();
        int outputWidth = inference.output().shape().size();
        String architecture = inference + "|" + model.targetKind() + "|" + model.classNames() + "|" + model.input().shape();
        return new ModelSpec(model.name(), model.input().name(), model.input().shape(), model.preprocessing(),
                model.targetName(), model.targetKind(), model.targetShape(), model.classNames(), outputWidth,
                model.loss().sourceName(), model.optimizer().describe(), model.optimizer().lr(), parameters, model.train(), model.data(),
                sha256(architecture), sha256(training(model, architecture)));
    }

    /**
     * What a checkpoint must share with the run that resumes it: the architecture and
     * everything that shapes the updates (loss, optimizer, penalty, preprocessing, the
     * training settings), but not the number of epochs or the checkpoint period, which
     * a resumed run may change.
     */
    private static String training(CheckedModel model, String architecture) {
        var train = model.train().withEpochs(0).withCheckpointEvery(0);
        return architecture + "|" + model.loss().sourceName() + "|" + model.optimizer().describe() + "|"
                + model.penalty() + "|" + model.preprocessing() + "|" + dev.nnc.runtime.json.JsonRecords.toJson(train);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
