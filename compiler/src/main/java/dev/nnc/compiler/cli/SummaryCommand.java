package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelSummary;
import dev.nnc.compiler.check.CheckedModel;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "summary", mixinStandardHelpOptions = true, description = "Show each layer's shape and parameters, the FLOPs and the fused kernels.")
final class SummaryCommand extends FileCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CheckedModel model = checked(source());
        out().print(ModelSummary.render(model, Compiler.compile(model, false)));
        return 0;
    }
}
