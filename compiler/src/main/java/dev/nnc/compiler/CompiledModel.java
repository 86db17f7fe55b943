package dev.nnc.compiler;

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
 * @param inferenceKernels and {@code trainingKernels}: one line per generated kernel method
 * @param companions the other class files by binary name: the Vector API helper and the typed class
 */
public record CompiledModel(String className, byte[] classFile, String typedClassName, ModelSpec spec,
                            List<String> inferenceKernels, List<String> trainingKernels,
                            Map<String, byte[]> companions) {

    /** Every class file by binary name, the network class's first. */
    public Map<String, byte[]> classes() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(className, classFile);
        all.putAll(companions);
        return all;
    }
}
