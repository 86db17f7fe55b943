package dev.nnc.compiler;

import dev.nnc.compiler.emit.SourceCompiler;
import dev.nnc.compiler.emit.TypedClassSource;
import dev.nnc.runtime.onnx.OnnxGraph;
import dev.nnc.runtime.spec.ModelSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of compiling: the network class, the classes that go with it, and what
 * describes them.
 *
 * @param className the network class's binary name, e.g. {@code nnc.models.Iris$Network}
 * @param typedClassName the typed class applications use, e.g. {@code nnc.models.Iris}
 * @param typedSource its Java source
 * @param inferenceKernels and {@code trainingKernels}: one line per generated kernel method
 * @param companions the other class files by binary name: the Vector API helper
 * @param onnx the prediction graph as ONNX operators, or null when a layer has no translation
 * @param onnxProblem why there is none (null when there is)
 */
public record CompiledModel(String className, byte[] classFile, String typedClassName, String typedSource, ModelSpec spec,
                            List<String> inferenceKernels, List<String> trainingKernels,
                            Map<String, byte[]> companions, OnnxGraph onnx, String onnxProblem) {

    /** The ONNX graph; a {@link dev.nnc.runtime.UserError} naming the layer that has no translation. */
    public OnnxGraph onnxGraph() {
        if (onnx == null) throw new dev.nnc.runtime.UserError(onnxProblem);
        return onnx;
    }

    /** The network's class files by binary name, the network class's first. */
    public Map<String, byte[]> classes() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(className, classFile);
        all.putAll(companions);
        return all;
    }

    /** The network's class files and the typed class's, compiled with the JDK's javac. */
    public Map<String, byte[]> classesWithTypedClass() {
        Map<String, byte[]> all = classes();
        all.putAll(typedClass());
        return all;
    }

    /** The typed class compiled (with the JDK's javac); a {@link dev.nnc.runtime.UserError} when its name cannot name a class. */
    public Map<String, byte[]> typedClass() {
        if (!TypedClassSource.isClassName(spec.name())) {
            throw new dev.nnc.runtime.UserError("error: the model's name '" + spec.name() + "' cannot name a Java class: rename the model");
        }
        return SourceCompiler.compile(typedClassName, typedSource);
    }

    /** Where the typed class's source goes below a source folder, e.g. {@code nnc/models/Iris.java}. */
    public String typedSourcePath() {
        return typedClassName.replace('.', '/') + ".java";
    }
}
