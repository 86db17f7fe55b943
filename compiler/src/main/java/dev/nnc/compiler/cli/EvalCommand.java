package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
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

@Command(name = "eval", description = "Evaluate trained weights on the model's test data, or on --test DATA.")
final class EvalCommand implements Callable<Integer> {
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
        SourceFile source = Sources.read(file);
        Inference.eval(ModelLoader.load(Compiler.compile(source)), options.weights, options.test, source.directory(),
                options.out, spec.commandLine().getOut());
        return 0;
    }
}
