package dev.nnc.tests;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/** jqwik generators of valid .nn programs: random depths, widths, batch norms, activations, residual sums, losses and optimizers. */
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
        return Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.of(ACTIVATIONS),
                        Arbitraries.of("", " -> batch_norm", " -> batch_norm(momentum = 0.7, eps = 0.001)", "", ""))
                .as((units, act, norm) -> "dense(" + units + ")" + norm + " -> " + act);
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

    /**
     * Random convolutional networks: an image of 5 to 9 pixels a side and 1 to 3
     * channels, one or two convolutions (2, 3, 16, 64 or 80 filters: from 16 on, the
     * runtime's vector kernels of 2 and 4 vectors; kernels of 1 to 3, strides 1 or 2,
     * valid or same padding, with or without bias), each followed by maybe a batch norm,
     * an activation and maybe a max or mean pool, then flatten or global_avgpool, and a head.
     */
    static Arbitrary<String> convPrograms() {
        return Combinators.combine(Arbitraries.longs(), heads(), Arbitraries.of(OPTIMIZERS)).as((seed, head, optimizer) -> {
            java.util.Random random = new java.util.Random(seed);
            int height = 5 + random.nextInt(5);
            int width = 5 + random.nextInt(5);
            int channels = 1 + random.nextInt(3);
            String input = "[" + height + ", " + width + ", " + channels + "]";
            StringBuilder body = new StringBuilder("x");
            for (int layer = 0, layers = 1 + random.nextInt(2); layer < layers; layer++) {
                int filters = List.of(2, 3, 16, 64, 80).get(random.nextInt(5));
                int kernel = 1 + random.nextInt(Math.min(3, Math.min(height, width)));
                int stride = 1 + random.nextInt(2);
                boolean same = random.nextBoolean();
                body.append(" -> conv2d(").append(filters).append(", kernel = ").append(kernel).append(", stride = ").append(stride)
                        .append(same ? ", padding = same" : "").append(random.nextBoolean() ? "" : ", bias = false").append(")");
                height = same ? (height + stride - 1) / stride : (height - kernel) / stride + 1;
                width = same ? (width + stride - 1) / stride : (width - kernel) / stride + 1;
                if (random.nextInt(3) == 0) body.append(random.nextBoolean() ? " -> batch_norm" : " -> batch_norm(momentum = 0.5)");
                body.append(" -> ").append(ACTIVATIONS.get(random.nextInt(ACTIVATIONS.size())));
                if (height >= 2 && width >= 2 && random.nextBoolean()) {
                    int poolStride = 1 + random.nextInt(2);
                    body.append(random.nextBoolean() ? " -> maxpool(2, stride = " : " -> avgpool(2, stride = ").append(poolStride).append(")");
                    height = (height - 2) / poolStride + 1;
                    width = (width - 2) / poolStride + 1;
                }
            }
            body.append(random.nextBoolean() ? " -> flatten" : " -> global_avgpool");
            return """
                    model RandomCnn {
                        input  x: %s
                        target t: %s
                        output p = %s -> %s
                        loss      %s(p, t)
                        optimizer %s
                    }
                    """.formatted(input, head.target(), body, head.layers(), head.loss(), optimizer);
        });
    }
}
