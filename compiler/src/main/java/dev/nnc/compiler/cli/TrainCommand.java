package dev.nnc.compiler.cli;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.cli.TrainOptions;
import dev.nnc.runtime.cli.TrainingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "train", description = "Compile a model and train it; data paths in the model are relative to its file.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Mixin
    TrainOptions options;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SourceFile source = Sources.read(file);
        CompiledModel model = Compiler.compile(source);
        new TrainingSession(ModelLoader.load(model), options, source.directory(), spec.commandLine().getOut()).run();
        return 0;
    }
}
