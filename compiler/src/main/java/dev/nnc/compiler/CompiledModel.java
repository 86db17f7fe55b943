package dev.nnc.compiler;

import dev.nnc.runtime.spec.ModelSpec;

import java.util.List;

/**
 * The result of compiling: the class file of the model and what describes it.
 *
 * @param className the binary name, e.g. {@code nnc.models.Iris}
 * @param inferenceKernels and {@code trainingKernels}: one line per generated kernel method
 */
public record CompiledModel(String className, byte[] classFile, ModelSpec spec,
                            List<String> inferenceKernels, List<String> trainingKernels,
                            java.util.Map<String, byte[]> helperClasses) {

    /** Every class file by binary name: the model's and its helpers'. */
    public java.util.Map<String, byte[]> classes() {
        java.util.Map<String, byte[]> all = new java.util.LinkedHashMap<>();
        all.put(className, classFile);
        all.putAll(helperClasses);
        return all;
    }
}
