package dev.nnc.tests;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/** jqwik generators of valid .nn programs: random depths, widths, activations, residual sums, losses and optimizers. */
final class ProgramGenerators {
    private ProgramGenerators() {}

    private static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "elu", "softplus",
            "leaky_relu(0.1)", "elu(0.5)", "linear");

    private static final List<String> OPTIMIZERS = List.of("sgd(lr = 0.05)", "sgd(lr = 0.01, momentum = 0.9)",
            "sgd(lr = 0.01, momentum = 0.5, nesterov = true)", "adagrad(lr = 0.1)", "rmsprop(lr = 0.001)",
            "adam(lr = 0.001)", "adamw(lr = 0.001, weight_decay = 0.01)");

    /** The head of the network and its loss, for a target kind. */
    private record Head(String target, String layers, String loss) {}

    private static Arbitrary<Head> heads() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(2, 5).map(k -> new Head("class[" + k + "]", "dense(" + k + ") -> softmax", "cross_entropy")),
                Arbitraries.integers().between(1, 3).map(d -> new Head("real[" + d + "]", "dense(" + d + ")", "mse")),
                Arbitraries.integers().between(1, 3).map(d -> new Head("real[" + d + "]", "dense(" + d + ")", "mae")),
                Arbitraries.just(new Head("binary", "dense(1) -> sigmoid", "binary_cross_entropy")),
                Arbitraries.just(new Head("binary", "dense(1) -> tanh", "hinge")));
    }

    private static Arbitrary<String> hiddenLayer() {
        return Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.of(ACTIVATIONS))
                .as((units, act) -> "dense(" + units + ") -> " + act);
    }

    static Arbitrary<String> programs() {
        Arbitrary<List<String>> hidden = hiddenLayer().list().ofMinSize(0).ofMaxSize(3);
        return Combinators.combine(Arbitraries.integers().between(1, 6), hidden, Arbitraries.of(true, false),
                        Arbitraries.integers().between(1, 6), heads(), Arbitraries.of(OPTIMIZERS),
                        Arbitraries.of("", "penalty l2(0.001)", "penalty l1(0.001)"))
                .as((inputs, layers, residual, width, head, optimizer, penalty) -> {
                    StringBuilder body = new StringBuilder("x");
                    for (String l : layers) body.append(" -> ").append(l);
                    String defs = "    h = " + body + "\n";
                    String last = "h";
                    if (residual) {
                        defs += "    r1 = h -> dense(" + width + ") -> tanh\n"
                                + "    r2 = r1 -> dense(" + width + ")\n"
                                + "    s = (r1 + r2) -> relu\n";
                        last = "s";
                    }
                    return """
                            model Random {
                                input  x: [%d]
                                target t: %s
                            %s    output p = %s -> %s
                                loss      %s(p, t)
                                optimizer %s
                                %s
                            }
                            """.formatted(inputs, head.target(), defs, last, head.layers(), head.loss(), optimizer, penalty);
                });
    }
}
