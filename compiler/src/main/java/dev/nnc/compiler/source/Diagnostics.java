package dev.nnc.compiler.source;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one error-reporting path of the compiler: every pass reports here and goes on,
 * so that all errors of a phase are shown together; the driver stops between phases
 * when there are any. A message said twice about one place is kept once (in sets: a
 * large program can have a warning on each of tens of thousands of lines).
 */
public final class Diagnostics {
    private final SourceFile file;
    private final Set<Diagnostic> errors = new LinkedHashSet<>();
    private final Set<Diagnostic> warnings = new LinkedHashSet<>();

    public Diagnostics(SourceFile file) {
        this.file = file;
    }

    public SourceFile file() {
        return file;
    }

    public void error(Span span, String message) {
        errors.add(new Diagnostic(file, span, message));
    }

    /** A mistake that compiles: reported, and the phase goes on. */
    public void warning(Span span, String message) {
        warnings.add(new Diagnostic(file, span, message, Diagnostic.Severity.WARNING));
    }

    /** The warnings in source order. */
    public List<Diagnostic> warnings() {
        return inOrder(warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The errors in source order. */
    public List<Diagnostic> errors() {
        return inOrder(errors);
    }

    private static List<Diagnostic> inOrder(Set<Diagnostic> diagnostics) {
        return diagnostics.stream()
                .sorted(Comparator.comparingInt((Diagnostic d) -> d.span().line())
                        .thenComparingInt(d -> d.span().column()))
                .toList();
    }

    /** Ends the phase: throws if anything was reported. */
    public void throwIfErrors() {
        if (hasErrors()) throw new CompileError(errors());
    }
}
