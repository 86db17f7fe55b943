package dev.nnc.compiler.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one error-reporting path of the compiler: every pass reports here and goes on,
 * so that all errors of a phase are shown together; the driver stops between phases
 * when there are any.
 */
public final class Diagnostics {
    private final SourceFile file;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    public Diagnostics(SourceFile file) {
        this.file = file;
    }

    public SourceFile file() {
        return file;
    }

    public void error(Span span, String message) {
        Diagnostic d = new Diagnostic(file, span, message);
        if (!errors.contains(d)) errors.add(d);
    }

    /** A mistake that compiles: reported, and the phase goes on. */
    public void warning(Span span, String message) {
        Diagnostic d = new Diagnostic(file, span, message, Diagnostic.Severity.WARNING);
        if (!warnings.contains(d)) warnings.add(d);
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

    private static List<Diagnostic> inOrder(List<Diagnostic> diagnostics) {
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
