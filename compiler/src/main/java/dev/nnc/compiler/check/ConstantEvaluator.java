package dev.nnc.compiler.check;

import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.syntax.Ast.*;

import java.util.OptionalDouble;

/** Evaluates number expressions ({@code 1/255}, {@code 2 * 64}, {@code 10%}) at compile time. */
final class ConstantEvaluator {
    private final Diagnostics diagnostics;

    ConstantEvaluator(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The value, or empty after reporting why there is none. */
    OptionalDouble number(Expr expr) {
        if (expr instanceof Num n) {
            return OptionalDouble.of(n.value());
        } else if (expr instanceof Paren p) {
            return number(p.inner());
        } else if (expr instanceof Negate n) {
            OptionalDouble v = number(n.operand());
            return v.isPresent() ? OptionalDouble.of(-v.getAsDouble()) : v;
        } else if (expr instanceof Binary b) {
            OptionalDouble l = number(b.left());
            OptionalDouble r = number(b.right());
            if (l.isEmpty() || r.isEmpty()) return OptionalDouble.empty();
            double x = l.getAsDouble();
            double y = r.getAsDouble();
            if (b.operator().equals("/") && y == 0) {
                diagnostics.error(b.right().span(), "division by zero");
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(switch (b.operator()) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> x / y;
                default -> throw new IllegalStateException(b.operator());
            });
        }
        diagnostics.error(expr.span(), "expected a number, got " + describe(expr));
        return OptionalDouble.empty();
    }

    /** A whole number, or empty after reporting. */
    OptionalDouble integer(Expr expr) {
        OptionalDouble v = number(expr);
        if (v.isPresent() && v.getAsDouble() != Math.rint(v.getAsDouble())) {
            diagnostics.error(expr.span(), "expected a whole number, got " + written(expr, v.getAsDouble()));
            return OptionalDouble.empty();
        }
        // never clamped: (int) 1e20 would quietly become 2,147,483,647
        if (v.isPresent() && Math.abs(v.getAsDouble()) > Integer.MAX_VALUE) {
            diagnostics.error(expr.span(), "expected a whole number of at most 2,147,483,647 in size, got "
                    + written(expr, v.getAsDouble()));
            return OptionalDouble.empty();
        }
        return v;
    }

    /** A value as the source wrote it when it is a literal (99999999999999999999, not 1.0E20). */
    private static String written(Expr expr, double value) {
        return expr instanceof Num n && !n.percent() ? n.text() : Signatures.format(value);
    }

    static String describe(Expr expr) {
        if (expr instanceof Num) return "a number";
        if (expr instanceof Str s) return "the string \"" + s.value() + "\"";
        if (expr instanceof Call c) return c.parentheses() ? "a call of '" + c.name().text() + "'" : "'" + c.name().text() + "'";
        if (expr instanceof Pipe) return "a layer expression";
        if (expr instanceof Paren p) return describe(p.inner());
        return "an expression";
    }
}
