package dev.nnc.compiler.cli;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.cli.TrainOptions;
import dev.nnc.runtime.cli.TrainingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, description = "Compile a model and train it; data paths in the model are relative to its file.")
final class TrainCommand extends FileCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Override
    public Integer call() throws IOException {
        SourceFile source = source();
        CompiledModel model = Compiler.compile(checked(source), false);
        new TrainingSession(ModelLoader.load(model), options, source.directory(), out()).run();
        return 0;
    }
}
