package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.runtime.cli.Inference;
import dev.nnc.runtime.cli.InferenceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "predict", description = "Predict each row of --input CSV with trained weights: the class and its probabilities, or the values.")
final class PredictCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Mixin
    InferenceOptions options;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Inference.predict(ModelLoader.load(Compiler.compile(Sources.read(file))), options.weights, options.requireInput(),
                options.output, spec.commandLine().getOut());
        return 0;
    }
}
