package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.ParameterSpec;

/**
 * Initial weights: Glorot uniform, or He uniform before a rectifier; zero biases.
 * Drawn in parameter order from one generator, so a seed fixes them.
 */
public final class Initializer {
    private Initializer() {}

    public static void initialize(Network network, ModelSpec spec, long seed) {
        Rng rng = new Rng(seed);
        float[][] parameters = network.parameters();
        for (int i = 0; i < parameters.length; i++) {
            ParameterSpec p = spec.parameters().get(i);
            double limit = switch (p.init()) {
                case GLOROT_UNIFORM -> Math.sqrt(6.0 / (p.fanIn() + p.fanOut()));
                case HE_UNIFORM -> Math.sqrt(6.0 / p.fanIn());
                case ZEROS, ONES -> 0;
            };
            double offset = p.init() == ModelSpec.Init.ONES ? 1 : 0;
            float[] w = parameters[i];
            for (int j = 0; j < w.length; j++) w[j] = (float) (offset + limit * (2 * rng.nextDouble() - 1));
        }
        network.resetOptimizer();
    }
}
