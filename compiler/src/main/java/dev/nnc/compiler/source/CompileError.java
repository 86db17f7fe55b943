package dev.nnc.compiler.source;

import java.util.List;
import java.util.stream.Collectors;

/** The user's program has errors; carries all diagnostics of the failing phase. */
public final class CompileError extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public CompileError(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::render).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
