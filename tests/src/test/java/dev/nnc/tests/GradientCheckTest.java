package dev.nnc.tests;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.GradientCheck;
import dev.nnc.compiler.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every derivative rule and every fused kernel against central finite differences, in
 * double precision: each case is a small network that goes through a different rule.
 * (step is left out: the perceptron rule passes its error straight through on purpose.)
 */
class GradientCheckTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "softmax + cross_entropy (fused) | class[3]  | x -> dense(5) -> tanh -> dense(3) -> softmax      | cross_entropy",
            "cross_entropy on probabilities  | class[3]  | x -> dense(4) -> tanh -> dense(3) -> sigmoid      | cross_entropy",
            "sigmoid + bce (fused)           | binary    | x -> dense(4) -> relu -> dense(1) -> sigmoid       | binary_cross_entropy",
            "relu, leaky_relu                | real[2]   | x -> dense(6) -> relu -> dense(5) -> leaky_relu(0.2) -> dense(2) | mse",
            "elu, softplus                   | real[2]   | x -> dense(6) -> elu(0.7) -> dense(5) -> softplus -> dense(2)    | mse",
            "sigmoid, tanh, mae              | real[1]   | x -> dense(3) -> sigmoid -> dense(3) -> tanh -> dense(1)         | mae",
            "softmax without cross-entropy   | real[3]   | x -> dense(4) -> tanh -> dense(3) -> softmax      | mse",
            "dense without bias              | real[2]   | x -> dense(3, bias = false) -> tanh -> dense(2, false) | mse",
            "hinge                           | binary    | x -> dense(4) -> tanh -> dense(1)                  | hinge",
            "residual sum                    | class[2]  | ((x -> dense(4) -> tanh) + (x -> dense(4) -> tanh -> dense(4))) -> dense(2) -> softmax | cross_entropy",
            "shared tensor used twice        | real[4]   | (x -> dense(4) -> tanh) + (x -> dense(4) -> tanh)  | mse",
            "two biases, one gradient        | real[3]   | (x -> dense(3)) + (x -> dense(3))                  | mse",
            "dropout is off when checking    | class[3]  | x -> dense(6) -> relu -> dropout(0.5) -> dense(3) -> softmax | cross_entropy",
            "perceptron criterion            | binary    | x -> dense(1) -> step                              | perceptron",
    })
    void backwardPassIsTheDerivative(String name, String target, String network, String loss) {
        String program = """
                model Check {
                    input  x: [4]
                    target t: %s
                    output p = %s
                    loss      %s(p, t)
                    optimizer sgd(lr = 0.1)
                }
                """.formatted(target, network, loss);
        var model = Frontend.check(SourceFile.of(name + ".nn", program));
        GradientCheck.Report report = GradientCheck.run(model, 5, 200, 42);
        assertTrue(Double.isFinite(report.loss()));
        for (GradientCheck.TensorResult t : report.tensors()) {
            assertTrue(t.checked() > 0);
            assertTrue(t.maxRelative() <= 1e-6, name + ": " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "conv2d, maxpool, flatten        | x -> conv2d(3, kernel = 3) -> relu -> maxpool(2) -> flatten",
            "same padding, stride 2, no bias | x -> conv2d(4, kernel = 3, stride = 2, padding = same, bias = false) -> tanh -> flatten",
            "overlapping avgpool             | x -> conv2d(2, kernel = 2) -> elu -> avgpool(3, stride = 1) -> flatten",
            "global_avgpool                  | x -> conv2d(5, kernel = 1) -> sigmoid -> global_avgpool",
            "two convolutions and a sum      | ((x -> conv2d(3, kernel = 3, padding = same)) + (x -> conv2d(3, kernel = 1))) -> relu -> conv2d(2, kernel = 2, stride = 2) -> flatten",
    })
    void imageLayersToo(String name, String network) {
        String program = """
                model Check {
                    input  x: [6, 6, 2]
                    target t: class[3]
                    output p = %s -> dense(3) -> softmax
                    loss      cross_entropy(p, t)
                    optimizer sgd(lr = 0.1)
                }
                """.formatted(network);
        GradientCheck.Report report = GradientCheck.run(Frontend.check(SourceFile.of(name + ".nn", program)), 4, 200, 42);
        for (GradientCheck.TensorResult t : report.tensors()) {
            assertTrue(t.maxRelative() <= 1e-6, name + ": " + t);
        }
    }

    /**
     * A weight of a 1x1 convolution of 80 channels feeds 120 elu(0.5) units here, and a
     * few of them cross their kink within ±ε of entries 184 and 190 without the one-sided
     * differences disagreeing enough to be seen as a kink (4e-8 and 9e-8 off: a random
     * program that failed the property test on 2026-11-29). Smaller steps find the derivative.
     */
    @Test
    void kinksCrossedWithinEpsilonByManyUnitsAreNotAnError() {
        String program = """
                model RandomCnn {
                    input  x: [8, 5, 1]
                    target t: real[2]
                    output p = x -> conv2d(80, kernel = 2, stride = 1, padding = same) -> elu -> conv2d(80, kernel = 1, stride = 1, bias = false) -> elu(0.5) -> avgpool(2, stride = 2) -> global_avgpool -> dense(2)
                    loss      mse(p, t)
                    optimizer sgd(lr = 0.05)
                }
                """;
        GradientCheck.Report report = GradientCheck.run(Frontend.check(SourceFile.of("random.nn", program)), 3, 40, 5);
        assertTrue(report.worst().maxRelative() <= 1e-6, report.worst().toString());
    }

    /** The check is not so lenient that a backward pass other than the derivative passes: step's straight-through rule fails it. */
    @Test
    void aBackwardPassThatIsNotTheDerivativeFails() {
        String program = """
                model Check {
                    input  x: [4]
                    target t: real[1]
                    output p = x -> dense(3) -> step -> dense(1)
                    loss      mse(p, t)
                    optimizer sgd(lr = 0.1)
                }
                """;
        GradientCheck.Report report = GradientCheck.run(Frontend.check(SourceFile.of("step.nn", program)), 5, 200, 42);
        assertTrue(report.worst().maxRelative() > 0.1, report.worst().toString());
    }
}
