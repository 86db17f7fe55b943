package dev.nnc.compiler.check;

import dev.nnc.compiler.check.Signatures.Category;
import dev.nnc.compiler.ir.Loss;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.syntax.Ast.*;
import dev.nnc.runtime.spec.ModelSpec.Preprocessing;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;
import dev.nnc.runtime.spec.TrainSpec;

import java.util.*;

/**
 * The semantic check of a whole model: members present once each, the input and the
 * target declared sensibly, every tensor expression resolved and shaped (by
 * {@link LayerChecker}), the loss matched to its target, the optimizer and penalty
 * arguments checked, the training and data blocks checked (by {@link TrainingChecker}).
 * Reports every error it finds; the result is empty when there were any.
 */
public final class ModelChecker {
    private final Diagnostics diagnostics;
    private final ArgumentChecker arguments;
    private final ConstantEvaluator evaluator;

    public ModelChecker(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.arguments = new ArgumentChecker(diagnostics);
        this.evaluator = arguments.evaluator();
    }

    private record Target(String name, TargetKind kind, List<Integer> shape, List<String> classNames) {
        /** The prediction shape a loss needs for this target. */
        List<Integer> predictionShape() {
            return kind == TargetKind.CLASS ? List.of(classNames.size()) : kind == TargetKind.BINARY ? List.of(1) : shape;
        }

        String describe() {
            return switch (kind) {
                case CLASS -> "class[" + classNames.size() + "]";
                case BINARY -> "binary";
                case REAL -> "real" + shape;
            };
        }
    }

    public Optional<CheckedModel> check(Model model) {
        Map<String, TensorMember> definitions = new LinkedHashMap<>();
        InputMember inputMember = null;
        TargetMember targetMember = null;
        TensorMember output = null;
        Map<CallRole, CallMember> calls = new EnumMap<>(CallRole.class);
        TrainMember train = null;
        DataMember data = null;
        Map<String, Span> names = new HashMap<>();

        for (Member member : model.members()) {
            if (member instanceof InputMember m) {
                if (inputMember != null) diagnostics.error(m.span(), "a model has one input; this is a second");
                else inputMember = m;
                declare(names, m.name());
            } else if (member instanceof TargetMember m) {
                if (targetMember != null) diagnostics.error(m.span(), "a model has one target; this is a second");
                else targetMember = m;
                declare(names, m.name());
            } else if (member instanceof TensorMember m) {
                if (declare(names, m.name())) definitions.put(m.name().text(), m);
                if (m.output()) {
                    if (output != null) diagnostics.error(m.span(), "a model has one output; '" + output.name().text() + "' is the first");
                    else output = m;
                }
            } else if (member instanceof CallMember m) {
                if (calls.containsKey(m.role())) {
                    diagnostics.error(m.span(), "a model has one " + m.role().name().toLowerCase() + "; this is a second");
                } else {
                    calls.put(m.role(), m);
                }
            } else if (member instanceof TrainMember m) {
                if (train != null) diagnostics.error(m.span(), "a model has one train block; this is a second");
                else train = m;
            } else if (member instanceof DataMember m) {
                if (data != null) diagnostics.error(m.span(), "a model has one data block; this is a second");
                else data = m;
            }
        }
        Span end = new Span(model.span().endLine(), model.span().endColumn() - 1, model.span().endLine(), model.span().endColumn());
        if (inputMember == null) diagnostics.error(end, "the model has no input; declare one: input x: [4]");
        if (targetMember == null) diagnostics.error(end, "the model has no target; declare one: target y: class[3]");
        if (output == null) diagnostics.error(end, "the model has no output; mark one: output y = ...");
        if (!calls.containsKey(CallRole.LOSS)) diagnostics.error(end, "the model has no loss; add one: loss mse(y, t)");
        if (!calls.containsKey(CallRole.OPTIMIZER)) diagnostics.error(end, "the model has no optimizer; add one: optimizer sgd(lr = 0.01)");

        Optional<Layer.Input> input = Optional.ofNullable(inputMember).flatMap(this::input);
        Optional<Target> target = Optional.ofNullable(targetMember).flatMap(this::target);
        Preprocessing preprocessing = inputMember == null ? Preprocessing.NONE : preprocessing(inputMember);

        Optional<Layer> outputLayer = Optional.empty();
        if (input.isPresent()) {
            LayerChecker layers = new LayerChecker(diagnostics, arguments, input.get(),
                    targetMember == null ? null : targetMember.name().text(), definitions);
            for (String name : definitions.keySet()) {
                Optional<Layer> layer = layers.definition(name);
                if (output != null && name.equals(output.name().text())) outputLayer = layer;
            }
            if (outputLayer.isPresent()) warnUnused(definitions, layers, output.name().text());
        }

        TensorMember outputMember = output;
        Optional<Layer> checkedOutput = outputLayer;
        Optional<Loss> loss = Optional.ofNullable(calls.get(CallRole.LOSS))
                .flatMap(m -> loss(m.call(), outputMember, checkedOutput, target));
        Optional<Optimizer> optimizer = Optional.ofNullable(calls.get(CallRole.OPTIMIZER))
                .flatMap(m -> arguments.bind(Category.OPTIMIZER, m.call())).map(ModelChecker::optimizer);
        Penalty penalty = Optional.ofNullable(calls.get(CallRole.PENALTY))
                .flatMap(m -> arguments.bind(Category.PENALTY, m.call())).map(ModelChecker::penalty)
                .orElse(Penalty.NONE);

        boolean classes = target.map(t -> t.kind() != TargetKind.REAL).orElse(true);
        TrainingChecker training = new TrainingChecker(diagnostics, arguments, classes,
                targetMember == null ? "" : targetMember.name().text());
        TrainSpec trainSpec = training.train(train);
        var dataSpec = training.data(data);
        if (!diagnostics.hasErrors() && outputLayer.isPresent() && optimizer.isPresent()) {
            MemoryCheck.check(outputLayer.get(), optimizer.get(), trainSpec, diagnostics);
        }

        if (diagnostics.hasErrors()) return Optional.empty();
        Target t = target.orElseThrow();
        return Optional.of(new CheckedModel(model.name().text(), input.orElseThrow(), preprocessing,
                t.name(), t.kind(), t.shape(), t.classNames(), outputLayer.orElseThrow(), output.name().text(),
                loss.orElseThrow(), optimizer.orElseThrow(), penalty, trainSpec, dataSpec));
    }

    /** A named tensor that the output does not read is a slip (a layer left out of the chain), and trains nothing. */
    private void warnUnused(Map<String, TensorMember> definitions, LayerChecker layers, String outputName) {
        Set<String> read = layers.namesRead(outputName);
        for (TensorMember m : definitions.values()) {
            String name = m.name().text();
            if (!read.contains(name)) {
                diagnostics.warning(m.name().span(), "'" + name + "' is never used: the output '" + outputName
                        + "' does not read it; use it, or remove it");
            }
        }
    }

    private boolean declare(Map<String, Span> names, Ident name) {
        Span previous = names.putIfAbsent(name.text(), name.span());
        if (previous != null) {
            diagnostics.error(name.span(), "'" + name.text() + "' is already defined at line " + previous.line());
            return false;
        }
        return true;
    }

    private Optional<Layer.Input> input(InputMember m) {
        Optional<List<Integer>> shape = dimensions(m.shape());
        return shape.map(s -> new Layer.Input(m.name().text(), s, m.name().span()));
    }

    private Optional<List<Integer>> dimensions(List<Expr> exprs) {
        List<Integer> dims = new ArrayList<>();
        boolean ok = true;
        for (Expr e : exprs) {
            OptionalDouble v = evaluator.integer(e);
            if (v.isEmpty()) {
                ok = false;
            } else if (v.getAsDouble() < 1) {
                diagnostics.error(e.span(), "a dimension must be >= 1, got " + Signatures.format(v.getAsDouble()));
                ok = false;
            } else {
                dims.add((int) v.getAsDouble());
            }
        }
        return ok ? Optional.of(List.copyOf(dims)) : Optional.empty();
    }

    private Preprocessing preprocessing(InputMember m) {
        if (m.preprocess().isEmpty()) return Preprocessing.NONE;
        return arguments.bind(Category.PREPROCESS, m.preprocess().get())
                .map(b -> b.name().equals("scale") ? new Preprocessing("scale", b.number("factor"))
                        : new Preprocessing(b.string("method"), 1))
                .orElse(Preprocessing.NONE);
    }

    private Optional<Target> target(TargetMember m) {
        String name = m.name().text();
        String kind = m.kind().text();
        switch (kind) {
            case "binary":
                if (!m.args().isEmpty()) diagnostics.error(m.kind().span(), "binary takes no size; write 'target y: binary'");
                return Optional.of(new Target(name, TargetKind.BINARY, List.of(1), List.of("0", "1")));
            case "real":
                if (m.args().isEmpty()) {
                    diagnostics.error(m.kind().span(), "real needs a shape, e.g. real[1]");
                    return Optional.empty();
                }
                return dimensions(m.args()).map(s -> new Target(name, TargetKind.REAL, s, List.of()));
            case "class":
                return classTarget(m);
            default:
                diagnostics.error(m.kind().span(), "unknown target type '" + kind + "'"
                        + dev.nnc.compiler.source.Suggestions.closest(kind, List.of("class", "binary", "real"))
                        .map(s -> "; did you mean '" + s + "'?").orElse("; expected class[K], class[\"a\", ...], binary or real[d]"));
                return Optional.empty();
        }
    }

    private Optional<Target> classTarget(TargetMember m) {
        List<Expr> args = m.args();
        if (args.isEmpty()) {
            diagnostics.error(m.kind().span(), "class needs the number of classes or their names, e.g. class[3]");
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        if (args.size() == 1 && !(args.get(0) instanceof Str)) {
            OptionalDouble k = evaluator.integer(args.get(0));
            if (k.isEmpty()) return Optional.empty();
            if (k.getAsDouble() < 2) {
                diagnostics.error(args.get(0).span(), "a class target needs at least 2 classes, got " + Signatures.format(k.getAsDouble()));
                return Optional.empty();
            }
            for (int i = 0; i < k.getAsDouble(); i++) names.add(Integer.toString(i));
        } else {
            for (Expr e : args) {
                if (!(e instanceof Str s)) {
                    diagnostics.error(e.span(), "class names must be strings in quotes");
                    return Optional.empty();
                }
                if (names.contains(s.value())) {
                    diagnostics.error(e.span(), "class \"" + s.value() + "\" is named twice");
                    return Optional.empty();
                }
                names.add(s.value());
            }
            if (names.size() < 2) {
                diagnostics.error(m.kind().span(), "a class target needs at least 2 classes");
                return Optional.empty();
            }
        }
        return Optional.of(new Target(m.name().text(), TargetKind.CLASS, List.of(1), List.copyOf(names)));
    }

    private Optional<Loss> loss(Call call, TensorMember output, Optional<Layer> outputLayer, Optional<Target> target) {
        Optional<BoundCall> bound = arguments.bind(Category.LOSS, call);
        if (bound.isEmpty()) return Optional.empty();
        Loss loss = Loss.named(bound.get().name());
        Expr prediction = bound.get().tensor("prediction");
        Expr targetRef = bound.get().tensor("target");
        boolean ok = true;
        if (output != null && !isName(prediction, output.name().text())) {
            diagnostics.error(prediction.span(), loss.sourceName() + " must be computed on the output '"
                    + output.name().text() + "', got " + ConstantEvaluator.describe(prediction));
            ok = false;
        }
        if (target.isPresent() && !isName(targetRef, target.get().name())) {
            diagnostics.error(targetRef.span(), loss.sourceName() + " must compare with the target '"
                    + target.get().name() + "', got " + ConstantEvaluator.describe(targetRef));
            ok = false;
        }
        if (!ok || target.isEmpty() || outputLayer.isEmpty() || outputLayer.get().shape() == null) {
            return ok ? Optional.of(loss) : Optional.empty();
        }
        Target t = target.get();
        List<Integer> got = outputLayer.get().shape();
        List<Integer> needed = t.predictionShape();
        String problem = switch (loss) {
            case CROSS_ENTROPY -> t.kind() == TargetKind.CLASS ? null : "cross_entropy needs a class target, got " + t.describe()
                    + (t.kind() == TargetKind.BINARY ? "; use binary_cross_entropy" : "; use mse for real targets");
            case BINARY_CROSS_ENTROPY, HINGE, PERCEPTRON -> t.kind() == TargetKind.BINARY ? null
                    : loss.sourceName() + " needs a binary target, got " + t.describe();
            case MSE, MAE -> t.kind() == TargetKind.CLASS ? loss.sourceName() + " needs a real or binary target, got "
                    + t.describe() + "; use cross_entropy for classes" : null;
        };
        if (problem != null) {
            diagnostics.error(call.span(), problem);
            return Optional.empty();
        }
        if (!got.equals(needed)) {
            diagnostics.error(call.span(), loss.sourceName() + " needs a prediction of " + needed + " for "
                    + t.describe() + ", got " + got);
            return Optional.empty();
        }
        Advice.report(loss, output.name().text(), outputLayer.get(), call.span(), diagnostics);
        return Optional.of(loss);
    }

    private static boolean isName(Expr expr, String name) {
        return expr instanceof Call c && !c.parentheses() && c.name().text().equals(name);
    }

    private static Optimizer optimizer(BoundCall b) {
        return switch (b.name()) {
            case "sgd" -> Optimizer.sgd(b.number("lr"), b.number("momentum"), b.bool("nesterov"));
            case "adagrad" -> new Optimizer("adagrad", b.number("lr"), 0, false, 0, 0, 0, b.number("eps"), 0);
            case "rmsprop" -> new Optimizer("rmsprop", b.number("lr"), 0, false, b.number("rho"), 0, 0, b.number("eps"), 0);
            case "adam" -> new Optimizer("adam", b.number("lr"), 0, false, 0, b.number("beta1"), b.number("beta2"),
                    b.number("eps"), 0);
            default -> new Optimizer("adamw", b.number("lr"), 0, false, 0, b.number("beta1"), b.number("beta2"),
                    b.number("eps"), b.number("weight_decay"));
        };
    }

    private static Penalty penalty(BoundCall b) {
        return switch (b.name()) {
            case "l1" -> new Penalty(b.number("lambda"), 0);
            case "l2" -> new Penalty(0, b.number("lambda"));
            default -> new Penalty(b.number("l1"), b.number("l2"));
        };
    }
}
