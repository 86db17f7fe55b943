package dev.nnc.compiler.cli;

import dev.nnc.compiler.source.CompileError;
import dev.nnc.compiler.source.Diagnostic;

import java.io.PrintWriter;
import java.util.List;

/** Warnings reach the user as errors do: on standard error, in the standard form; with --werror, as errors. */
final class Warnings {
    private Warnings() {}

    static void report(List<Diagnostic> warnings, boolean asErrors, PrintWriter err) {
        if (warnings.isEmpty()) return;
        if (asErrors) throw new CompileError(warnings);
        for (Diagnostic w : warnings) err.println(w.render());
        err.flush();
    }
}
