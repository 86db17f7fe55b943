package dev.nnc.compiler.cli;

import dev.nnc.compiler.ModelExplanation;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "The model in words: what each stage computes, its shape and parameters, the loss and the update rule.")
final class ExplainCommand extends FileCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        out().print(ModelExplanation.render(checked(source())));
        out().flush();
        return 0;
    }
}
