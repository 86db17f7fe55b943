package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.runtime.cli.Inference;
import dev.nnc.runtime.cli.InferenceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict each row of --input CSV with trained weights: the class and its probabilities, or the values.")
final class PredictCommand extends FileCommand implements Callable<Integer> {
    @Mixin
    InferenceOptions options;

    @Override
    public Integer call() throws IOException {
        Inference.predict(ModelLoader.load(Compiler.compile(checked(source()), false)), options.weights, options.requireInput(),
                options.output, out());
        return 0;
    }
}
