package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.cli.Inference;
import dev.nnc.runtime.cli.InferenceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate trained weights on the model's test data, or on --test DATA.")
final class EvalCommand extends FileCommand implements Callable<Integer> {
    @Mixin
    InferenceOptions options;

    @Override
    public Integer call() throws IOException {
        SourceFile source = source();
        Inference.eval(ModelLoader.load(Compiler.compile(checked(source), false)), options.weights, options.test, source.directory(),
                options.out, out());
        return 0;
    }
}
