package dev.nnc.compiler.check;

import dev.nnc.compiler.ir.Activation;
import dev.nnc.compiler.ir.Loss;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.Span;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The warnings about a model's output: mistakes that check and train, badly, each
 * with what to write instead (and one error: cross_entropy on values that can be
 * negative, which cannot train at all). A loss that reads probabilities given an output that does
 * not make them; a softmax over one unit; an activation after the output's softmax or
 * sigmoid; two activations in a row; dropout as the output's last stage; step outside
 * a perceptron.
 */
final class Advice {
    private final Diagnostics diagnostics;
    private final Loss loss;

    private Advice(Diagnostics diagnostics, Loss loss) {
        this.diagnostics = diagnostics;
        this.loss = loss;
    }

    static void report(Loss loss, String output, Layer last, Span lossSpan, Diagnostics diagnostics) {
        Advice advice = new Advice(diagnostics, loss);
        advice.probabilities(output, last, lossSpan);
        if (last instanceof Layer.Dropout d) {
            diagnostics.warning(d.span(), "dropout as the last stage of the output '" + output + "' drops predictions at random "
                    + "while training; put it before the last dense layer");
        }
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        advice.stages(last, seen);
    }

    private void probabilities(String output, Layer last, Span at) {
        if (last instanceof Layer.Softmax softmax && List.of(1).equals(softmax.shape())) {
            diagnostics.warning(softmax.span(), "softmax over a single unit is always 1, so nothing can be learned; "
                    + "for one probability end the output with '-> sigmoid' (a binary target, binary_cross_entropy)");
        } else if (loss == Loss.CROSS_ENTROPY && !(last instanceof Layer.Softmax)) {
            String message = "cross_entropy compares probabilities, but the output '" + output + "' ends in "
                    + describe(last) + ", whose values are not a distribution; end it with '-> softmax'";
            // values that can be negative have no logarithm: that output cannot train at all
            if (canBeNegative(last)) diagnostics.error(at, message);
            else diagnostics.warning(at, message);
        } else if (loss == Loss.BINARY_CROSS_ENTROPY && !isSigmoid(last)) {
            diagnostics.warning(at, "binary_cross_entropy compares a probability, but the output '" + output + "' ends in "
                    + describe(last) + ", whose value is not one; end it with '-> sigmoid'");
        }
    }

    /** Every stage of the output's graph, once. */
    private void stages(Layer layer, Set<Layer> seen) {
        if (layer == null || !seen.add(layer)) return;
        if (layer instanceof Layer.Act act) activation(act);
        for (Layer input : layer.inputs()) stages(input, seen);
    }

    private void activation(Layer.Act act) {
        String name = act.activation().sourceName();
        if (act.activation() == Activation.STEP && loss != Loss.PERCEPTRON) {
            diagnostics.warning(act.span(), "step has no gradient: only the perceptron loss trains through it; "
                    + "use sigmoid, or loss perceptron(...)");
        }
        Layer before = act.input();
        if (before instanceof Layer.Softmax || isSigmoid(before)) {
            diagnostics.warning(act.span(), name + " after " + describe(before) + " changes the probabilities the loss "
                    + "should see; remove it");
        } else if (before instanceof Layer.Act previous) {
            diagnostics.warning(act.span(), "two activations in a row, " + previous.activation().sourceName() + " then "
                    + name + "; one is enough: remove one, or put a dense layer between them");
        }
    }

    private static boolean canBeNegative(Layer layer) {
        if (layer instanceof Layer.Act a) {
            return a.activation() != Activation.RELU && a.activation() != Activation.SIGMOID
                    && a.activation() != Activation.SOFTPLUS && a.activation() != Activation.STEP;
        }
        // dropout, pooling and flatten keep the sign of what they read
        if (layer instanceof Layer.Dropout || layer instanceof Layer.Pool || layer instanceof Layer.Flatten) {
            return canBeNegative(layer.inputs().get(0));
        }
        return true;
    }

    private static boolean isSigmoid(Layer layer) {
        return layer instanceof Layer.Act a && a.activation() == Activation.SIGMOID;
    }

    /** A stage, in words. */
    private static String describe(Layer last) {
        if (last instanceof Layer.Dense d) return "dense(" + d.units() + ")";
        if (last instanceof Layer.Act a) return a.activation().sourceName();
        if (last instanceof Layer.Dropout) return "dropout";
        if (last instanceof Layer.Add) return "a sum";
        if (last instanceof Layer.Conv2d c) return "conv2d(" + c.filters() + ")";
        if (last instanceof Layer.Pool p) return p.global() ? "global_avgpool" : p.max() ? "maxpool" : "avgpool";
        if (last instanceof Layer.Flatten) return "flatten";
        if (last instanceof Layer.BatchNorm) return "batch_norm";
        if (last instanceof Layer.Input i) return "the input '" + i.name() + "'";
        return "softmax";
    }
}
