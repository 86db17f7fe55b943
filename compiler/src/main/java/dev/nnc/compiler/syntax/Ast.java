package dev.nnc.compiler.syntax;

import dev.nnc.compiler.source.Span;

import java.util.List;
import java.util.Optional;

/**
 * The abstract syntax of a .nn file: what the user wrote, with where they wrote it.
 * Nothing here is checked yet; names are text and numbers are unevaluated expressions.
 */
public final class Ast {
    private Ast() {}

    public record Ident(String text, Span span) {}

    public record Model(Ident name, List<Member> members, List<Comment> comments, Span span) {}

    /** A comment, kept so the formatter can put it back. */
    public record Comment(String text, Span span) {}

    // ---- members ----

    public sealed interface Member {
        Span span();
    }

    public record InputMember(Ident name, List<Expr> shape, Optional<Call> preprocess, Span span) implements Member {}

    /** {@code target NAME: kind} or {@code kind[args]}; {@code args} is empty without brackets. */
    public record TargetMember(Ident name, Ident kind, List<Expr> args, Span span) implements Member {}

    /** {@code NAME = EXPR} or, when {@code output}, {@code output NAME = EXPR}. */
    public record TensorMember(Ident name, Expr value, boolean output, Span span) implements Member {}

    public enum CallRole { LOSS, OPTIMIZER, PENALTY }

    /** {@code loss F(...)}, {@code optimizer F(...)}, {@code penalty F(...)}. */
    public record CallMember(CallRole role, Call call, Span span) implements Member {}

    public record TrainMember(List<Setting> settings, Span span) implements Member {}

    public record DataMember(List<Source> sources, Span span) implements Member {}

    // ---- training settings ----

    public sealed interface Setting {
        Ident name();

        Span span();
    }

    /** {@code early_stop(monitor = val_loss, patience = 20)}. */
    public record CallSetting(Ident name, List<Argument> arguments, Span span) implements Setting {}

    /** {@code epochs 100}, or a chain {@code schedule warmup(epochs = 1) then cosine()}. */
    public record ValueSetting(Ident name, List<Expr> values, Span span) implements Setting {}

    /** {@code checkpoint every 5}. */
    public record PeriodSetting(Ident name, Expr period, Span span) implements Setting {}

    /** {@code until loss < 0.01}. */
    public record ConditionSetting(Ident name, Expr left, String operator, Expr right, Span span) implements Setting {}

    /** {@code train csv("iris.csv", target = "species")}. */
    public record Source(Ident role, Call call, Span span) {}

    // ---- expressions ----

    public sealed interface Expr {
        Span span();
    }

    /** A literal; {@code percent} when written {@code 10%}, whose value is then 0.1. */
    public record Num(double value, String text, boolean percent, Span span) implements Expr {}

    public record Str(String value, Span span) implements Expr {}

    /** {@code name}, or {@code name(args)} when {@code parentheses}. */
    public record Call(Ident name, List<Argument> arguments, boolean parentheses, Span span) implements Expr {}

    /** {@code input -> call}: the call applied to input as its first argument. */
    public record Pipe(Expr input, Call call, Span span) implements Expr {}

    public record Binary(Expr left, String operator, Expr right, Span span) implements Expr {}

    public record Negate(Expr operand, Span span) implements Expr {}

    public record Paren(Expr inner, Span span) implements Expr {}

    public record Argument(Optional<Ident> name, Expr value, Span span) {}
}
