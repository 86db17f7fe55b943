package dev.nnc.compiler.cli;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.source.CompileError;
import dev.nnc.compiler.source.Diagnostic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, description = "Check programs for errors without compiling them.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files")
    List<Path> files;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Option(names = "--werror", description = "treat warnings as errors (exit 1)")
    boolean werror;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int status = 0;
        for (Path file : files) {
            try {
                List<Diagnostic> warnings = Frontend.checkWithWarnings(Sources.read(file)).warnings();
                Warnings.report(warnings, werror, spec.commandLine().getErr());
                spec.commandLine().getOut().println(file + ": ok" + (warnings.isEmpty() ? "" : " (with warnings)"));
            } catch (CompileError e) {
                for (Diagnostic d : e.diagnostics()) spec.commandLine().getErr().println(d.render());
                status = 1;
            }
        }
        spec.commandLine().getErr().flush();
        return status;
    }
}
