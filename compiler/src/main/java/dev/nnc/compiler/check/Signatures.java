package dev.nnc.compiler.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of every function a .nn file can call, by the place it may be called
 * from, with each parameter's type, default and allowed range. The checkers bind calls
 * against it; the documentation of the language is this table.
 */
public final class Signatures {
    private Signatures() {}

    public enum Category {
        LAYER("layer"), LOSS("loss"), OPTIMIZER("optimizer"), PENALTY("penalty"),
        PREPROCESS("preprocessing"), SCHEDULE("schedule"), AUGMENT("augmentation"),
        SOURCE("data source"), SETTING("training setting");

        final String description;

        Category(String description) {
            this.description = description;
        }
    }

    public enum Type { NUMBER, INT, BOOL, STRING, SYMBOL, TENSOR }

    /**
     * A parameter; {@code defaultValue} null means required. The range applies to
     * numbers: {@code min}/{@code max} with their inclusiveness.
     */
    public record Param(String name, Type type, Object defaultValue, double min, boolean minInclusive,
                        double max, boolean maxInclusive, List<String> symbols) {

        static Param of(String name, Type type) {
            return new Param(name, type, null, Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, List.of());
        }

        Param def(Object value) {
            return new Param(name, type, value, min, minInclusive, max, maxInclusive, symbols);
        }

        Param above(double bound) {
            return new Param(name, type, defaultValue, bound, false, max, maxInclusive, symbols);
        }

        Param atLeast(double bound) {
            return new Param(name, type, defaultValue, bound, true, max, maxInclusive, symbols);
        }

        Param below(double bound) {
            return new Param(name, type, defaultValue, min, minInclusive, bound, false, symbols);
        }

        Param atMost(double bound) {
            return new Param(name, type, defaultValue, min, minInclusive, bound, true, symbols);
        }

        Param oneOf(String... options) {
            return new Param(name, type, defaultValue, min, minInclusive, max, maxInclusive, List.of(options));
        }

        boolean required() {
            return defaultValue == null;
        }

        /** "units: int >= 1", "bias: bool = true", "monitor: one of val_loss, ... = val_loss" */
        public String describe() {
            StringBuilder s = new StringBuilder(name).append(": ").append(type.name().toLowerCase(java.util.Locale.ROOT));
            if (!symbols.isEmpty()) s.append(" (").append(String.join(" | ", symbols)).append(')');
            if (min != Double.NEGATIVE_INFINITY || max != Double.POSITIVE_INFINITY) s.append(' ').append(rangeText());
            if (defaultValue != null) {
                s.append(" = ").append(defaultValue instanceof Double d ? format(d) : String.valueOf(defaultValue));
            }
            return s.toString();
        }

        boolean inRange(double v) {
            return (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        }

        /** "> 0", ">= 1", "in [0, 1)" */
        String rangeText() {
            boolean low = min != Double.NEGATIVE_INFINITY;
            boolean high = max != Double.POSITIVE_INFINITY;
            if (low && high) {
                return "in " + (minInclusive ? "[" : "(") + format(min) + ", " + format(max) + (maxInclusive ? "]" : ")");
            }
            if (low) return (minInclusive ? ">= " : "> ") + format(min);
            return (maxInclusive ? "<= " : "< ") + format(max);
        }
    }

    public record Signature(Category category, String name, List<Param> params) {
        /** The way the language reference would write it: {@code dense(units: int >= 1, bias: bool = true)}. */
        public String describe() {
            return name + "(" + String.join(", ", params.stream().map(Param::describe).toList()) + ")  — a "
                    + category.description;
        }

        Optional<Param> param(String paramName) {
            return params.stream().filter(p -> p.name.equals(paramName)).findFirst();
        }
    }

    private static final Map<Category, Map<String, Signature>> TABLE = new LinkedHashMap<>();

    private static void define(Category category, String name, Param... params) {
        TABLE.computeIfAbsent(category, c -> new LinkedHashMap<>()).put(name, new Signature(category, name, List.of(params)));
    }

    private static Param num(String name) {
        return Param.of(name, Type.NUMBER);
    }

    private static Param integer(String name) {
        return Param.of(name, Type.INT);
    }

    static {
        // Layers take their input tensor as an implicit first argument (a -> f(args)).
        define(Category.LAYER, "dense", integer("units").atLeast(1), Param.of("bias", Type.BOOL).def(true));
        define(Category.LAYER, "dropout", num("p").atLeast(0).below(1));
        define(Category.LAYER, "conv2d", integer("filters").atLeast(1), integer("kernel").atLeast(1),
                integer("stride").def(1.0).atLeast(1), Param.of("padding", Type.SYMBOL).def("valid").oneOf("valid", "same"),
                Param.of("bias", Type.BOOL).def(true));
        // a stride of 0 (the default) is the window's size
        define(Category.LAYER, "maxpool", integer("size").atLeast(1), integer("stride").def(0.0).atLeast(1));
        define(Category.LAYER, "avgpool", integer("size").atLeast(1), integer("stride").def(0.0).atLeast(1));
        define(Category.LAYER, "global_avgpool");
        define(Category.LAYER, "flatten");
        define(Category.LAYER, "batch_norm", num("momentum").def(0.9).atLeast(0).below(1), num("eps").def(1e-5).above(0));
        for (String activation : List.of("relu", "tanh", "sigmoid", "softmax", "softplus", "step", "linear")) {
            define(Category.LAYER, activation);
        }
        define(Category.LAYER, "leaky_relu", num("alpha").def(0.01).above(0));
        define(Category.LAYER, "elu", num("alpha").def(1.0).above(0));

        for (String loss : List.of("cross_entropy", "binary_cross_entropy", "mse", "mae", "hinge", "perceptron")) {
            define(Category.LOSS, loss, Param.of("prediction", Type.TENSOR), Param.of("target", Type.TENSOR));
        }

        Param lr = num("lr").above(0);
        Param eps = num("eps").above(0);
        define(Category.OPTIMIZER, "sgd", lr.def(0.01), num("momentum").def(0.0).atLeast(0).below(1),
                Param.of("nesterov", Type.BOOL).def(false));
        define(Category.OPTIMIZER, "adagrad", lr.def(0.01), eps.def(1e-10));
        define(Category.OPTIMIZER, "rmsprop", lr.def(0.001), num("rho").def(0.9).atLeast(0).below(1), eps.def(1e-7));
        Param beta1 = num("beta1").def(0.9).atLeast(0).below(1);
        Param beta2 = num("beta2").def(0.999).atLeast(0).below(1);
        define(Category.OPTIMIZER, "adam", lr.def(0.001), beta1, beta2, eps.def(1e-8));
        define(Category.OPTIMIZER, "adamw", lr.def(0.001), beta1, beta2, eps.def(1e-8),
                num("weight_decay").def(0.01).atLeast(0));

        define(Category.PENALTY, "l1", num("lambda").atLeast(0));
        define(Category.PENALTY, "l2", num("lambda").atLeast(0));
        define(Category.PENALTY, "l1_l2", num("l1").def(0.01).atLeast(0), num("l2").def(0.01).atLeast(0));

        define(Category.PREPROCESS, "scale", num("factor").above(0));
        define(Category.PREPROCESS, "normalize", Param.of("method", Type.SYMBOL).def("standard").oneOf("standard", "minmax"));

        define(Category.SCHEDULE, "constant");
        define(Category.SCHEDULE, "step", integer("every").atLeast(1), num("factor").def(0.1).above(0).atMost(1));
        define(Category.SCHEDULE, "exponential", num("gamma").above(0).atMost(1));
        define(Category.SCHEDULE, "cosine", num("min_lr").def(0.0).atLeast(0));
        define(Category.SCHEDULE, "warmup", integer("epochs").atLeast(1));

        define(Category.AUGMENT, "noise", num("std").atLeast(0));
        define(Category.AUGMENT, "shift", integer("pixels").atLeast(1), integer("width").def(0).atLeast(0),
                integer("height").def(0).atLeast(0));
        define(Category.AUGMENT, "flip", integer("width").def(0).atLeast(0), integer("height").def(0).atLeast(0));

        define(Category.SOURCE, "csv", Param.of("path", Type.STRING), Param.of("target", Type.STRING).def(""));
        define(Category.SOURCE, "idx", Param.of("images", Type.STRING), Param.of("labels", Type.STRING));
        define(Category.SOURCE, "split", num("fraction").above(0).below(1));

        define(Category.SETTING, "early_stop",
                Param.of("monitor", Type.SYMBOL).def("val_loss").oneOf(Metrics.NAMES.toArray(String[]::new)),
                integer("patience").def(5.0).atLeast(0), num("min_delta").def(0.0).atLeast(0));
    }

    public static Optional<Signature> lookup(Category category, String name) {
        return Optional.ofNullable(TABLE.getOrDefault(category, Map.of()).get(name));
    }

    /** Every signature of this name, whatever may call it. */
    public static List<Signature> named(String name) {
        return TABLE.values().stream().map(m -> m.get(name)).filter(java.util.Objects::nonNull).toList();
    }

    /** The settings of a train block, calls and values alike. */
    public static final List<String> TRAINING_SETTINGS = List.of(
            "epochs", "batch", "shuffle", "validation", "early_stop", "schedule", "augment", "until", "seed", "checkpoint");

    public static List<String> names(Category category) {
        return List.copyOf(TABLE.getOrDefault(category, Map.of()).keySet());
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
