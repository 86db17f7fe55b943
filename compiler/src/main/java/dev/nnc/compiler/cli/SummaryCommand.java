package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.ModelSummary;
import dev.nnc.compiler.check.CheckedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "summary", description = "Show each layer's shape and parameters, the FLOPs and the fused kernels.")
final class SummaryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckedModel model = Frontend.check(Sources.read(file));
        spec.commandLine().getOut().print(ModelSummary.render(model, Compiler.compile(model, false)));
        return 0;
    }
}
