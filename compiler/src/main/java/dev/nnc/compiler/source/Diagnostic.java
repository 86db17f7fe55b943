package dev.nnc.compiler.source;

/** One message for the user about their program, with the place it is about. */
public record Diagnostic(SourceFile file, Span span, String message, Severity severity) {

    /** An error stops the compiler; a warning is a mistake that compiles and trains badly. */
    public enum Severity {
        ERROR, WARNING;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Diagnostic(SourceFile file, Span span, String message) {
        this(file, span, message, Severity.ERROR);
    }

    /**
     * The standard form: {@code file:line:col: error: message} (or {@code warning:}), then the source line
     * and a caret under the span (to the end of the line when the span continues).
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(file.displayName()).append(':').append(span.line()).append(':').append(span.column())
           .append(": ").append(severity.word()).append(": ").append(message);
        if (span.line() <= 0) return out.toString();
        String line = file.line(span.line());
        out.append('\n').append(line).append('\n');
        int start = Math.max(0, Math.min(span.column() - 1, line.length()));
        int end = span.endLine() == span.line() ? span.endColumn() - 1 : line.length();
        end = Math.max(start + 1, Math.min(end, Math.max(line.length(), start + 1)));
        for (int i = 0; i < start; i++) out.append(line.charAt(i) == '\t' ? '\t' : ' ');
        out.append("^".repeat(end - start));
        return out.toString();
    }
}
