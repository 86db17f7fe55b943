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
                            List<String> inferenceKernels, List<String> trainingKernels) {}
