package dev.nnc.compiler.check;

import dev.nnc.compiler.check.Signatures.Category;
import dev.nnc.compiler.check.Signatures.Param;
import dev.nnc.compiler.check.Signatures.Signature;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.source.Suggestions;
import dev.nnc.compiler.syntax.Ast.*;

import java.util.*;

/**
 * Matches a call against the signature table: the function must exist in its
 * category, positional arguments come first, names must be known, every value must
 * have the parameter's type and lie in its range, required ones must be given.
 * Reports each problem with a suggestion where a name is close.
 */
final class ArgumentChecker {
    private final Diagnostics diagnostics;
    private final ConstantEvaluator evaluator;

    ArgumentChecker(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.evaluator = new ConstantEvaluator(diagnostics);
    }

    ConstantEvaluator evaluator() {
        return evaluator;
    }

    /** The signature of a function name in a category, or empty after reporting. */
    Optional<Signature> lookup(Category category, Ident name) {
        Optional<Signature> signature = Signatures.lookup(category, name.text());
        if (signature.isEmpty()) {
            diagnostics.error(name.span(), "unknown " + category.description + " '" + name.text() + "'"
                    + Suggestions.didYouMean(name.text(), Signatures.names(category)));
        }
        return signature;
    }

    Optional<BoundCall> bind(Category category, Call call) {
        return lookup(category, call.name()).flatMap(s -> bind(s, call.arguments(), call.span(), List.of()));
    }

    /**
     * Binds arguments; {@code implicit} are values already supplied for the first
     * parameters (the piped-in tensor of a layer is handled by the caller instead).
     */
    Optional<BoundCall> bind(Signature signature, List<Argument> arguments, Span span, List<Object> implicit) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<Param> params = signature.params();
        for (int i = 0; i < implicit.size(); i++) values.put(params.get(i).name(), implicit.get(i));
        boolean ok = true;
        boolean seenNamed = false;
        int position = implicit.size();
        for (Argument argument : arguments) {
            Param param;
            if (argument.name().isPresent()) {
                seenNamed = true;
                Ident name = argument.name().get();
                Optional<Param> named = signature.param(name.text());
                if (named.isEmpty()) {
                    List<String> names = params.stream().map(Param::name).toList();
                    diagnostics.error(name.span(), "unknown argument '" + name.text() + "' for " + signature.name()
                            + Suggestions.closest(name.text(), names).map(n -> "; did you mean '" + n + "'?")
                            .orElse(names.isEmpty() ? "; it takes no arguments" : "; it takes " + String.join(", ", names)));
                    ok = false;
                    continue;
                }
                param = named.get();
            } else {
                if (seenNamed) {
                    diagnostics.error(argument.span(), "a positional argument cannot follow a named one");
                    ok = false;
                    continue;
                }
                if (position >= params.size()) {
                    diagnostics.error(argument.span(), signature.name() + " takes " + countText(params.size() - implicit.size())
                            + ", got " + (arguments.size()));
                    ok = false;
                    continue;
                }
                param = params.get(position++);
            }
            if (values.containsKey(param.name())) {
                diagnostics.error(argument.span(), "argument '" + param.name() + "' given twice");
                ok = false;
                continue;
            }
            Optional<Object> value = value(signature, param, argument.value());
            if (value.isEmpty()) {
                ok = false;
                continue;
            }
            values.put(param.name(), value.get());
        }
        for (Param param : params) {
            if (values.containsKey(param.name())) continue;
            if (param.required()) {
                if (ok) diagnostics.error(span, signature.name() + " needs argument '" + param.name() + "'");
                ok = false;
            } else {
                values.put(param.name(), param.defaultValue());
            }
        }
        return ok ? Optional.of(new BoundCall(signature, values, span)) : Optional.empty();
    }

    private static String countText(int n) {
        return n == 0 ? "no arguments" : n == 1 ? "1 argument" : n + " arguments";
    }

    private Optional<Object> value(Signature signature, Param param, Expr expr) {
        String what = "'" + param.name() + "' of " + signature.name();
        switch (param.type()) {
            case TENSOR:
                return Optional.of(expr);
            case STRING:
                if (expr instanceof Str s) return Optional.of(s.value());
                diagnostics.error(expr.span(), what + " must be a string in quotes, got " + ConstantEvaluator.describe(expr));
                return Optional.empty();
            case BOOL:
                if (expr instanceof Call c && !c.parentheses() && (c.name().text().equals("true") || c.name().text().equals("false"))) {
                    return Optional.of(c.name().text().equals("true"));
                }
                diagnostics.error(expr.span(), what + " must be true or false, got " + ConstantEvaluator.describe(expr));
                return Optional.empty();
            case SYMBOL:
                if (expr instanceof Call c && !c.parentheses()) {
                    String symbol = c.name().text();
                    if (param.symbols().contains(symbol)) return Optional.of(symbol);
                    diagnostics.error(expr.span(), "unknown value '" + symbol + "' for " + what
                            + Suggestions.closest(symbol, param.symbols()).map(s -> "; did you mean '" + s + "'?")
                            .orElse("; expected one of " + String.join(", ", param.symbols())));
                    return Optional.empty();
                }
                diagnostics.error(expr.span(), what + " must be one of " + String.join(", ", param.symbols()));
                return Optional.empty();
            default:
                if (expr instanceof Str || (expr instanceof Call c && !c.parentheses())) {
                    diagnostics.error(expr.span(), what + " must be a number, got " + ConstantEvaluator.describe(expr));
                    return Optional.empty();
                }
                OptionalDouble v = param.type() == Signatures.Type.INT ? evaluator.integer(expr) : evaluator.number(expr);
                if (v.isEmpty()) return Optional.empty();
                if (!param.inRange(v.getAsDouble())) {
                    diagnostics.error(expr.span(), what + " must be " + param.rangeText() + ", got "
                            + Signatures.format(v.getAsDouble()));
                    return Optional.empty();
                }
                return Optional.of(v.getAsDouble());
        }
    }
}
