package dev.nnc.compiler;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;
import dev.nnc.runtime.spec.TrainSpec;

import java.util.List;
import java.util.Locale;

/**
 * What `nnc explain` prints: the model in words, stage by stage, as a first course would
 * describe it: what each stage computes, its shape and its parameters (the figures of
 * {@link ModelSummary}), then what the loss measures and how the optimizer changes each
 * weight, with this file's numbers.
 */
public final class ModelExplanation {
    private final StringBuilder out = new StringBuilder();

    private ModelExplanation() {}

    public static String render(CheckedModel model) {
        ModelExplanation e = new ModelExplanation();
        e.write(model);
        return e.out.toString();
    }

    private void write(CheckedModel model) {
        line("%s predicts %s from %s.", model.name(), target(model), model.input().name());
        line("");
        List<ModelSummary.Row> rows = ModelSummary.rows(model);
        long parameters = 0;
        long flops = 0;
        for (ModelSummary.Row row : rows) {
            line("%s", stage(row, model));
            parameters += row.parameters();
            flops += row.flops();
        }
        line("");
        line("In all: %,d parameters, learned from the data; %,d floating-point operations to predict one sample.",
                parameters, flops);
        line("");
        line("Loss: %s", loss(model));
        if (model.penalty().active()) line("Penalty: %s", penalty(model.penalty()));
        line("Optimizer: %s", optimizer(model.optimizer()));
        line("Training: %s", training(model.train()));
    }

    private static String target(CheckedModel model) {
        return switch (model.targetKind()) {
            case CLASS -> model.targetName() + ", one of " + model.classNames().size() + " classes ("
                    + String.join(", ", model.classNames()) + ")";
            case BINARY -> model.targetName() + ", yes or no";
            case REAL -> model.targetName() + ", " + model.targetShape() + " real values";
        };
    }

    private static String stage(ModelSummary.Row row, CheckedModel model) {
        int width = (int) row.shape().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        String head = String.format(Locale.ROOT, "  %s %s: ", row.name(), row.shape());
        return head + switch (row.kind()) {
            case "input" -> width + " numbers per sample" + preprocessing(model);
            case "dense" -> String.format(Locale.ROOT, "each of its %d units adds up every value before it, each times its "
                    + "own weight, plus a bias: %,d parameters.", width, row.parameters());
            case "dropout" -> "while training, sets each value to 0 at random and scales the others up to keep the sum; "
                    + "while predicting, passes them all.";
            case "add" -> "adds the two tensors element by element (a skip connection).";
            case "conv2d" -> String.format(Locale.ROOT, "%d filters slide over the image; at each place, each filter adds up the "
                    + "pixels of its window in every channel, each times its own weight, plus a bias, giving one channel of "
                    + "the output per filter: %,d parameters, shared by every place.", row.shape().get(2), row.parameters());
            case "pooling" -> row.name().startsWith("maxpool") ? "keeps the largest value of each window, per channel: "
                    + "a smaller image that moves less when the input shifts a little."
                    : row.name().startsWith("global") ? "the mean of each channel over the whole image."
                    : "keeps the mean of each window, per channel: a smaller image.";
            case "batch_norm" -> String.format(Locale.ROOT, "normalizes each of its %d channels: while training, minus the "
                    + "batch's mean and divided by its standard deviation, which also move running averages along; while "
                    + "predicting, by those running averages; then times a trained scale plus a trained shift per channel: "
                    + "%,d parameters (and %,d running statistics).", row.shape().get(row.shape().size() - 1), row.parameters(),
                    row.parameters());
            case "flatten" -> "the image as one vector of " + width + " numbers, channel by channel, for the dense layers.";
            default -> activation(row.name(), width);
        };
    }

    private static String preprocessing(CheckedModel model) {
        return switch (model.preprocessing().kind()) {
            case "standard" -> ", each feature standardised: minus its mean, divided by its standard deviation "
                    + "(from the training data, kept with the weights).";
            case "minmax" -> ", each feature scaled to [0, 1] by its smallest and largest value in the training data.";
            case "scale" -> String.format(Locale.ROOT, ", each multiplied by %s.", number(model.preprocessing().factor()));
            default -> ", used as they are.";
        };
    }

    private static String activation(String name, int width) {
        String what = switch (name) {
            case "relu" -> "keeps each positive value and sets each negative one to 0";
            case "leaky_relu" -> "keeps each positive value and scales each negative one down";
            case "elu" -> "keeps each positive value and bends each negative one towards -1";
            case "tanh" -> "squashes each value into (-1, 1)";
            case "sigmoid" -> "squashes each value into (0, 1): a probability";
            case "softplus" -> "a smooth relu: log(1 + e^x) of each value";
            case "step" -> "outputs 1 where a value is positive, else 0: the perceptron's threshold";
            case "softmax" -> "turns the scores into probabilities that sum to 1: e^z_i / (e^z_1 + ... + e^z_n)";
            default -> "passes each value unchanged";
        };
        return what + " (" + width + (width == 1 ? " value" : " values") + "; no parameters).";
    }

    private static String loss(CheckedModel model) {
        return switch (model.loss()) {
            case CROSS_ENTROPY -> "cross-entropy, minus the log of the probability the network gives the right class: "
                    + "0 when it is sure and right, large when it is sure and wrong"
                    + (model.targetKind() == TargetKind.CLASS ? "; with softmax before it, nnc computes both together, stably." : ".");
            case BINARY_CROSS_ENTROPY -> "binary cross-entropy, minus the log of the probability given to the right answer.";
            case MSE -> "the mean squared error between prediction and target.";
            case MAE -> "the mean absolute error between prediction and target.";
            case HINGE -> "the hinge loss, max(0, 1 - y·score) with y = ±1: 0 once a sample is on the right side with a margin.";
            case PERCEPTRON -> "the perceptron criterion: for each wrong sample, how far it is on the wrong side; "
                    + "its gradient gives the perceptron rule w ← w + lr·(d - y)·x.";
        };
    }

    private static String penalty(Penalty p) {
        StringBuilder s = new StringBuilder();
        if (p.l2() != 0) s.append(String.format(Locale.ROOT, "%s · Σ w² added to the loss (its gradient %s · w pulls each "
                + "weight towards 0)", number(p.l2()), number(2 * p.l2())));
        if (p.l1() != 0) s.append(s.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                "%s · Σ |w| added to the loss (it pushes small weights to exactly 0)", number(p.l1())));
        return s.append("; weights only, not biases.").toString();
    }

    /** The update of each weight w with its gradient g, as PyTorch writes it. */
    private static String optimizer(Optimizer o) {
        String lr = number(o.lr());
        return switch (o.kind()) {
            case "sgd" -> o.momentum() == 0
                    ? "gradient descent: w ← w - " + lr + " · g."
                    : "gradient descent with momentum: v ← " + number(o.momentum()) + " · v + g, then w ← w - " + lr + " · "
                    + (o.nesterov() ? "(g + " + number(o.momentum()) + " · v) (Nesterov)." : "v.");
            case "adagrad" -> "AdaGrad: s ← s + g², then w ← w - " + lr + " · g / (√s + " + number(o.eps()) + ").";
            case "rmsprop" -> "RMSprop: s ← " + number(o.rho()) + " · s + " + number(1 - o.rho()) + " · g², then w ← w - "
                    + lr + " · g / (√s + " + number(o.eps()) + ").";
            default -> (o.kind().equals("adamw") ? "AdamW: w ← w · (1 - " + lr + " · " + number(o.weightDecay()) + "), then "
                    : "Adam: ") + "m ← " + number(o.beta1()) + " · m + " + number(1 - o.beta1()) + " · g, v ← "
                    + number(o.beta2()) + " · v + " + number(1 - o.beta2()) + " · g², then w ← w - " + lr
                    + " · m̂ / (√v̂ + " + number(o.eps()) + "), m̂ and v̂ corrected for their start at 0.";
        };
    }

    private static String training(TrainSpec t) {
        StringBuilder s = new StringBuilder();
        s.append(t.epochs()).append(t.epochs() == 1 ? " epoch" : " epochs").append(" of ")
                .append(t.batch() == 0 ? "the whole training set at once (full-batch gradient descent)"
                        : t.batch() == 1 ? "one sample at a time (stochastic gradient descent)" : "batches of " + t.batch())
                .append(t.shuffle() ? ", shuffled each epoch" : "");
        if (t.validation() > 0) s.append("; ").append(number(100 * t.validation())).append("% held out to validate");
        if (t.earlyStop() != null) {
            s.append("; stopping when ").append(t.earlyStop().monitor()).append(" has not improved for ")
                    .append(t.earlyStop().patience()).append(" epochs, with the best weights restored");
        }
        if (t.until() != null) {
            s.append("; stopping once ").append(t.until().metric()).append(' ').append(t.until().operator()).append(' ')
                    .append(number(t.until().value()));
        }
        if (t.checkpointEvery() > 1) {
            s.append("; a checkpoint every ").append(t.checkpointEvery()).append(" epochs when the run has an --out folder");
        }
        return s.append("; seed ").append(t.seed()).append('.').toString();
    }

    private static String number(double v) {
        java.math.BigDecimal d = new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros();
        return v != 0 && Math.abs(v) < 1e-4 ? d.toString().replace("E", "e") : d.toPlainString();
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
