package dev.nnc.compiler.syntax;

import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.syntax.Ast.*;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The canonical layout of a .nn file, like gofmt: four-space indentation, one member
 * per line, single spaces around operators and after commas, numbers as written,
 * at most one blank line where the source had one or more, and every comment kept
 * before the member it preceded (or at the end of its line).
 */
public final class Formatter {
    private static final String INDENT = "    ";

    private final StringBuilder out = new StringBuilder();
    private final Deque<Comment> comments;
    private int lastLine;

    private Formatter(List<Comment> comments) {
        this.comments = new ArrayDeque<>(comments);
    }

    public static String format(Model model) {
        Formatter f = new Formatter(model.comments());
        f.model(model);
        return f.out.toString();
    }

    private void model(Model m) {
        commentsBefore(m.span().line(), "");
        out.append("model ").append(m.name().text()).append(" {\n");
        lastLine = m.span().line();
        for (Member member : m.members()) {
            blankLineBefore(member.span());
            commentsBefore(member.span().line(), INDENT);
            member(member);
        }
        commentsBefore(m.span().endLine(), INDENT);
        out.append("}\n");
        lastLine = m.span().endLine();
        commentsBefore(Integer.MAX_VALUE, "");
    }

    /** Keeps one blank line where the source had any between this and what came before. */
    private void blankLineBefore(Span span) {
        int first = comments.isEmpty() || comments.peek().span().line() > span.line() ? span.line() : comments.peek().span().line();
        if (first > lastLine + 1 && !out.toString().endsWith("{\n")) out.append('\n');
    }

    private void commentsBefore(int line, String indent) {
        while (!comments.isEmpty() && comments.peek().span().line() < line) {
            Comment c = comments.poll();
            if (c.span().line() > lastLine + 1 && lastLine > 0 && !out.toString().endsWith("{\n") && !out.toString().endsWith("\n\n")) {
                out.append('\n');
            }
            out.append(indent).append(c.text().strip()).append('\n');
            lastLine = c.span().endLine();
        }
    }

    /** Ends a line, with the comments that stood at the end of the source line. */
    private void endLine(Span span) {
        while (!comments.isEmpty() && comments.peek().span().line() == span.endLine()) {
            out.append(' ').append(comments.poll().text().strip());
        }
        out.append('\n');
        lastLine = span.endLine();
    }

    private void member(Member member) {
        out.append(INDENT);
        if (member instanceof InputMember m) {
            out.append("input ").append(m.name().text()).append(": ").append(list(m.shape(), "[", "]"));
            m.preprocess().ifPresent(p -> out.append(' ').append(expr(p)));
            endLine(m.span());
        } else if (member instanceof TargetMember m) {
            out.append("target ").append(m.name().text()).append(": ").append(m.kind().text());
            if (!m.args().isEmpty()) out.append(list(m.args(), "[", "]"));
            endLine(m.span());
        } else if (member instanceof TensorMember m) {
            out.append(m.output() ? "output " : "").append(m.name().text()).append(" = ").append(expr(m.value()));
            endLine(m.span());
        } else if (member instanceof CallMember m) {
            out.append(m.role().name().toLowerCase()).append(' ').append(expr(m.call()));
            endLine(m.span());
        } else if (member instanceof TrainMember m) {
            out.append("train {");
            endLine(new Span(m.span().line(), 0, m.span().line(), 0));
            for (Setting s : m.settings()) {
                commentsBefore(s.span().line(), INDENT + INDENT);
                out.append(INDENT + INDENT).append(setting(s));
                endLine(s.span());
            }
            closeBlock(m.span());
        } else if (member instanceof DataMember m) {
            out.append("data {");
            endLine(new Span(m.span().line(), 0, m.span().line(), 0));
            for (Source s : m.sources()) {
                commentsBefore(s.span().line(), INDENT + INDENT);
                out.append(INDENT + INDENT).append(s.role().text()).append(' ').append(expr(s.call()));
                endLine(s.span());
            }
            closeBlock(m.span());
        }
    }

    private void closeBlock(Span span) {
        commentsBefore(span.endLine(), INDENT + INDENT);
        out.append(INDENT).append('}');
        endLine(span);
    }

    private String setting(Setting s) {
        String name = s.name().text();
        if (s instanceof CallSetting c) {
            return name + "(" + c.arguments().stream().map(this::argument).collect(Collectors.joining(", ")) + ")";
        } else if (s instanceof PeriodSetting p) {
            return name + " every " + expr(p.period());
        } else if (s instanceof ConditionSetting c) {
            return name + " " + expr(c.left()) + " " + c.operator() + " " + expr(c.right());
        }
        ValueSetting v = (ValueSetting) s;
        return name + " " + v.values().stream().map(this::expr).collect(Collectors.joining(" then "));
    }

    private String list(List<Expr> exprs, String open, String close) {
        return exprs.stream().map(this::expr).collect(Collectors.joining(", ", open, close));
    }

    private String argument(Argument a) {
        return a.name().map(n -> n.text() + " = ").orElse("") + expr(a.value());
    }

    String expr(Expr e) {
        if (e instanceof Num n) return n.text() + (n.percent() ? "%" : "");
        if (e instanceof Str s) return '"' + s.value().replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\t", "\\t") + '"';
        if (e instanceof Call c) {
            if (!c.parentheses()) return c.name().text();
            return c.name().text() + "(" + c.arguments().stream().map(this::argument).collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof Pipe p) return expr(p.input()) + " -> " + expr(p.call());
        if (e instanceof Binary b) return expr(b.left()) + " " + b.operator() + " " + expr(b.right());
        if (e instanceof Negate n) return "-" + expr(n.operand());
        if (e instanceof Paren p) return "(" + expr(p.inner()) + ")";
        throw new IllegalStateException("unknown expression " + e);
    }
}
