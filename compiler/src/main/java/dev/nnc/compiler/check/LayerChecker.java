package dev.nnc.compiler.check;

import dev.nnc.compiler.check.Signatures.Category;
import dev.nnc.compiler.ir.Activation;
import dev.nnc.compiler.ir.Window;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.source.Suggestions;
import dev.nnc.compiler.syntax.Ast.*;

import java.util.*;

/**
 * Resolves the tensor expressions of a model into a graph of {@link Layer}s and infers
 * every shape: {@code dense(n)} maps [m] to [n], activations and dropout keep the
 * shape, {@code +} needs equal shapes. Each definition is checked once, on first use;
 * a definition that uses itself is reported.
 */
final class LayerChecker {
    private final Diagnostics diagnostics;
    private final ArgumentChecker arguments;
    private final Layer.Input input;
    private final String targetName;
    private final Map<String, TensorMember> definitions;
    private final Map<String, Layer> resolved = new HashMap<>();
    private final Set<String> resolving = new LinkedHashSet<>();
    private final Set<String> failed = new HashSet<>();
    /** The names each definition's expression refers to. */
    private final Map<String, Set<String>> references = new HashMap<>();
    /** The definition whose expression is being checked (the innermost of {@link #resolving}), or null. */
    private String defining;

    LayerChecker(Diagnostics diagnostics, ArgumentChecker arguments, Layer.Input input, String targetName,
                 Map<String, TensorMember> definitions) {
        this.diagnostics = diagnostics;
        this.arguments = arguments;
        this.input = input;
        this.targetName = targetName;
        this.definitions = definitions;
    }

    /** The defined names that {@code name}'s expression reads, directly or through others, and {@code name} itself. */
    Set<String> namesRead(String name) {
        Set<String> read = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(name));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (read.add(next)) pending.addAll(references.getOrDefault(next, Set.of()));
        }
        return read;
    }

    /** The layer a defined name stands for, or empty when it has errors (reported). */
    Optional<Layer> definition(String name) {
        if (resolved.containsKey(name)) return Optional.of(resolved.get(name));
        if (failed.contains(name)) return Optional.empty();
        TensorMember member = definitions.get(name);
        resolving.add(name);
        String outer = defining;
        defining = name;
        Optional<Layer> layer = tensor(member.value());
        defining = outer;
        resolving.remove(name);
        layer.ifPresentOrElse(l -> resolved.put(name, l), () -> failed.add(name));
        return layer;
    }

    Optional<Layer> tensor(Expr expr) {
        if (expr instanceof Paren p) {
            return tensor(p.inner());
        } else if (expr instanceof Pipe p) {
            Optional<Layer> in = tensor(p.input());
            return apply(p.call(), p.call().arguments(), in, p.span());
        } else if (expr instanceof Binary b && b.operator().equals("+")) {
            return add(b);
        } else if (expr instanceof Call c && !c.parentheses()) {
            return reference(c);
        } else if (expr instanceof Call c) {
            // f(x, args) is x -> f(args)
            List<Argument> args = c.arguments();
            if (args.isEmpty() || args.get(0).name().isPresent() || args.get(0).value() instanceof Num) {
                if (isLayer(c.name().text())) {
                    diagnostics.error(c.span(), c.name().text() + " needs an input tensor: write 'x -> "
                            + c.name().text() + (args.isEmpty() ? "" : "(...)") + "'");
                    return Optional.empty();
                }
                return apply(c, args, Optional.empty(), c.span());
            }
            Optional<Layer> in = tensor(args.get(0).value());
            return apply(c, args.subList(1, args.size()), in, c.span());
        } else if (expr instanceof Binary b) {
            diagnostics.error(b.span(), "tensors can only be added; '" + b.operator() + "' is not a layer operation");
            return Optional.empty();
        }
        diagnostics.error(expr.span(), "expected a tensor, got " + ConstantEvaluator.describe(expr));
        return Optional.empty();
    }

    private Optional<Layer> reference(Call c) {
        String name = c.name().text();
        if (name.equals(input.name())) return Optional.of(input);
        if (definitions.containsKey(name)) {
            if (defining != null) references.computeIfAbsent(defining, k -> new HashSet<>()).add(name);
            if (resolving.contains(name)) {
                diagnostics.error(c.span(), "'" + name + "' is defined in terms of itself");
                return Optional.empty();
            }
            return definition(name);
        }
        if (name.equals(targetName)) {
            diagnostics.error(c.span(), "'" + name + "' is the target; it can only be used in the loss");
            return Optional.empty();
        }
        if (isLayer(name)) {
            diagnostics.error(c.span(), name + " needs an input tensor: write 'x -> " + name + "'");
            return Optional.empty();
        }
        List<String> names = new ArrayList<>(definitions.keySet());
        names.add(input.name());
        diagnostics.error(c.span(), "unknown name '" + name + "'" + Suggestions.didYouMean(name, names));
        return Optional.empty();
    }

    private static boolean isLayer(String name) {
        return Signatures.lookup(Category.LAYER, name).isPresent();
    }

    private Optional<Layer> add(Binary b) {
        Optional<Layer> left = tensor(b.left());
        Optional<Layer> right = tensor(b.right());
        if (left.isEmpty() || right.isEmpty()) return Optional.empty();
        List<Integer> ls = left.get().shape();
        List<Integer> rs = right.get().shape();
        if (ls != null && rs != null && !ls.equals(rs)) {
            diagnostics.error(b.span(), "cannot add " + ls + " and " + rs);
            // Go on with the left shape so later errors are still found.
            return Optional.of(new Layer.Add(left.get(), right.get(), null, b.span()));
        }
        return Optional.of(new Layer.Add(left.get(), right.get(), ls == null ? rs : ls, b.span()));
    }

    /** The most elements a Java array holds on HotSpot. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Optional<Layer> apply(Call call, List<Argument> args, Optional<Layer> in, Span span) {
        Optional<BoundCall> bound = arguments.lookup(Category.LAYER, call.name())
                .flatMap(s -> arguments.bind(s, args, call.span(), List.of()));
        if (bound.isEmpty() || in.isEmpty()) return Optional.empty();
        Layer input = in.get();
        BoundCall f = bound.get();
        String name = f.name();
        switch (name) {
            case "dense":
                if (input.shape() != null && input.shape().size() == 3) {
                    diagnostics.error(span, "dense needs a vector input [n], got the image " + input.shape()
                            + "; write '-> flatten -> dense(" + f.integer("units") + ")'");
                } else if (input.shape() != null && input.shape().size() != 1) {
                    diagnostics.error(span, "dense needs a vector input [n], got " + input.shape());
                } else if (input.shape() != null) {
                    long weights = (long) input.shape().get(0) * f.integer("units");
                    if (weights > MAX_ARRAY) {
                        diagnostics.error(span, String.format(java.util.Locale.ROOT, "dense(%d) on %s needs %,d weights, "
                                + "more than a Java array holds (%,d): use fewer units", f.integer("units"), input.shape(),
                                weights, MAX_ARRAY));
                        return Optional.empty();
                    }
                }
                return Optional.of(new Layer.Dense(input, f.integer("units"), f.bool("bias"), span));
            case "dropout":
                return Optional.of(new Layer.Dropout(f.number("p"), input, span));
            case "softmax":
                return Optional.of(new Layer.Softmax(input, span));
            case "linear":
                return Optional.of(input);
            case "conv2d", "maxpool", "avgpool", "global_avgpool":
                return image(f, input, span);
            case "batch_norm":
                if (input.shape() == null) return Optional.empty();
                if (input.shape().size() != 1 && input.shape().size() != 3) {
                    diagnostics.error(span, "batch_norm needs a channel axis: an image [height, width, channels] or a vector "
                            + "[features], got " + input.shape() + (input instanceof Layer.Input && input.shape().size() == 2
                            ? "; declare the input with its channels, e.g. " + withChannel(input.shape()) : ""));
                    return Optional.empty();
                }
                return Optional.of(new Layer.BatchNorm(input, f.number("momentum"), f.number("eps"), span));
            case "flatten":
                return input.shape() != null && input.shape().size() > 1 ? Optional.of(new Layer.Flatten(input, span))
                        : Optional.of(input);
            default:
                Activation activation = Activation.named(name).orElseThrow();
                double alpha = f.values().containsKey("alpha") ? f.number("alpha") : 0;
                return Optional.of(new Layer.Act(activation, alpha, input, span));
        }
    }

    private static List<Integer> withChannel(List<Integer> shape) {
        List<Integer> image = new ArrayList<>(shape);
        image.add(1);
        return image;
    }

    /** The layers that slide a window over an image [height, width, channels]. */
    private Optional<Layer> image(BoundCall f, Layer input, Span span) {
        String name = f.name();
        List<Integer> shape = input.shape();
        if (shape == null) return Optional.empty();
        if (shape.size() != 3) {
            String fix = input instanceof Layer.Flatten ? "; put it before the flatten"
                    : input instanceof Layer.Input && shape.size() == 1
                    ? "; declare the input with its three dimensions, e.g. [28, 28, 1] for 784 grey pixels" : "";
            diagnostics.error(span, name + " needs an image [height, width, channels], got " + shape + fix);
            return Optional.empty();
        }
        if (name.equals("global_avgpool")) {
            Window whole = Window.valid(shape.get(0), shape.get(1), shape.get(2), shape.get(0), shape.get(1), 1);
            return Optional.of(new Layer.Pool(input, false, whole, true, span));
        }
        boolean conv = name.equals("conv2d");
        int size = f.integer(conv ? "kernel" : "size");
        int stride = f.integer("stride") == 0 ? size : f.integer("stride");
        boolean same = conv && f.string("padding").equals("same");
        if (!same && (size > shape.get(0) || size > shape.get(1))) {
            diagnostics.error(span, String.format("%s %s %d is larger than its %dx%d input%s", name, conv ? "kernel" : "window",
                    size, shape.get(0), shape.get(1), conv ? "; use a smaller kernel or padding = same" : "; use a smaller size"));
            return Optional.empty();
        }
        Window window = Window.over(shape, size, stride, same);
        if (!conv) return Optional.of(new Layer.Pool(input, name.equals("maxpool"), window, false, span));
        int filters = f.integer("filters");
        long outputs = (long) window.outHeight() * window.outWidth() * filters;
        long weights = (long) filters * size * size * shape.get(2);
        if (outputs > MAX_ARRAY || weights > MAX_ARRAY) {
            diagnostics.error(span, String.format(java.util.Locale.ROOT, "conv2d(%d) on %s needs %,d %s per sample, "
                    + "more than a Java array holds (%,d): use fewer filters or a smaller image", filters, shape,
                    Math.max(outputs, weights), outputs > weights ? "outputs" : "weights", MAX_ARRAY));
            return Optional.empty();
        }
        return Optional.of(new Layer.Conv2d(input, filters, window, f.bool("bias"), span));
    }
}
