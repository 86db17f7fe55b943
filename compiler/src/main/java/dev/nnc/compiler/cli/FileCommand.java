package dev.nnc.compiler.cli;

import dev.nnc.compiler.source.SourceFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/** What every command on one .nn file has: the file, --debug, and where to print. */
abstract class FileCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Spec
    CommandSpec spec;

    SourceFile source() {
        return Sources.read(file);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
