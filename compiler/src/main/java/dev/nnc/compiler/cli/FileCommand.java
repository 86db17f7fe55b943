package dev.nnc.compiler.cli;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.check.CheckedModel;
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

    @Option(names = "--werror", description = "treat warnings as errors (exit 1)")
    boolean werror;

    @Spec
    CommandSpec spec;

    SourceFile source() {
        return Sources.read(file);
    }

    /** The file parsed and checked; its warnings printed, or, with --werror, thrown as errors. */
    CheckedModel checked(SourceFile source) {
        Frontend.Checked checked = Frontend.checkWithWarnings(source);
        Warnings.report(checked.warnings(), werror, spec.commandLine().getErr());
        return checked.model();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
