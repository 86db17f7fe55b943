package dev.nnc.compiler.source;

/**
 * A region of source text: 1-based line and column of its first character, and the
 * line and column just past its last one. Every AST node carries one, so that every
 * diagnostic can point at what it is about.
 */
public record Span(int line, int column, int endLine, int endColumn) {

    public static final Span NONE = new Span(0, 0, 0, 0);

    /** The smallest span that covers both. */
    public Span to(Span other) {
        if (this == NONE) return other;
        if (other == NONE) return this;
        boolean thisFirst = line < other.line || (line == other.line && column <= other.column);
        Span first = thisFirst ? this : other;
        boolean thisLast = endLine > other.endLine || (endLine == other.endLine && endColumn >= other.endColumn);
        Span last = thisLast ? this : other;
        return new Span(first.line, first.column, last.endLine, last.endColumn);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
