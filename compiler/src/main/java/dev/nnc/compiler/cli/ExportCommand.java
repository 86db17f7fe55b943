package dev.nnc.compiler.cli;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.runtime.cli.ExportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the model with trained weights as an ONNX file (opset 17) that takes the raw inputs nnc predict takes.")
final class ExportCommand extends FileCommand implements Callable<Integer> {
    @Mixin
    ExportOptions options;

    @Override
    public Integer call() throws IOException {
        CompiledModel model = Compiler.compile(checked(source()), false);
        options.export(model.onnxGraph(), model.spec(), out());
        return 0;
    }
}
