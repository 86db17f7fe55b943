package dev.nnc.compiler.source;

/** One message for the user about their program, with the place it is about. */
public record Diagnostic(SourceFile file, Span span, String message) {

    /**
     * The standard form: {@code file:line:col: error: message}, then the source line
     * and a caret under the span (to the end of the line when the span continues).
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(file.displayName()).append(':').append(span.line()).append(':').append(span.column())
           .append(": error: ").append(message);
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
