package dev.nnc.compiler.cli;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.compiler.syntax.Formatter;
import dev.nnc.runtime.weights.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "fmt", mixinStandardHelpOptions = true, description = "Print programs in the canonical layout, or rewrite them in place with -w.")
final class FmtCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files")
    List<Path> files;

    @Option(names = {"-w", "--write"}, description = "rewrite each file (atomically) instead of printing")
    boolean write;

    @Option(names = "--check", description = "exit 1 when a file is not in the canonical layout, and name it")
    boolean check;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int status = 0;
        for (Path file : files) {
            SourceFile source = Sources.read(file);
            String formatted = Formatter.format(Frontend.parse(source));
            if (check) {
                if (!formatted.equals(source.text())) {
                    spec.commandLine().getOut().println(file + ": not formatted");
                    status = 1;
                }
            } else if (write) {
                if (!formatted.equals(source.text())) AtomicFiles.write(file, formatted);
            } else {
                spec.commandLine().getOut().print(formatted);
            }
        }
        return status;
    }
}
