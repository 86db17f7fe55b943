package dev.nnc.compiler.check;

import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.syntax.Ast.Expr;

import java.util.Map;

/**
 * A call whose arguments were matched against its signature: every parameter has a
 * checked value (the default when not given). Tensor arguments stay expressions.
 */
record BoundCall(Signatures.Signature signature, Map<String, Object> values, Span span) {

    String name() {
        return signature.name();
    }

    double number(String param) {
        return ((Number) values.get(param)).doubleValue();
    }

    int integer(String param) {
        return (int) number(param);
    }

    boolean bool(String param) {
        return (Boolean) values.get(param);
    }

    String string(String param) {
        return (String) values.get(param);
    }

    Expr tensor(String param) {
        return (Expr) values.get(param);
    }
}
