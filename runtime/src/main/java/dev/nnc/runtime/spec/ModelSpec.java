package dev.nnc.runtime.spec;

import dev.nnc.runtime.json.JsonRecords;

import java.util.List;

/**
 * Everything the runtime needs to know about a compiled model besides its arithmetic:
 * its input and target, its parameters, how to train it and on what. The compiler
 * writes it as JSON into the generated class ({@code SPEC}), so a class or a jar
 * describes itself. {@code architectureHash} identifies the network (weights files
 * are checked against it); {@code trainingHash} also what shapes its updates (loss,
 * optimizer, penalty, preprocessing, training settings but the epochs and checkpoint
 * period), which a checkpoint must share with the run that resumes it.
 */
public record ModelSpec(
        String name,
        String inputName,
        List<Integer> inputShape,
        Preprocessing preprocessing,
        String targetName,
        TargetKind targetKind,
        List<Integer> targetShape,
        List<String> classNames,
        int outputWidth,
        String loss,
        String optimizer,
        double learningRate,
        List<ParameterSpec> parameters,
        TrainSpec train,
        DataSpec data,
        String architectureHash,
        String trainingHash) {

    public enum TargetKind { CLASS, BINARY, REAL }

    /** How input features are scaled before they reach the network. */
    public record Preprocessing(String kind, double factor) {
        public static final Preprocessing NONE = new Preprocessing("none", 1);
    }

    public enum Init { GLOROT_UNIFORM, HE_UNIFORM, ZEROS, ONES }

    /**
     * A tensor that training changes; {@code statistic}: a running statistic (batch norm's
     * running mean and variance), which training updates with each batch's statistics
     * rather than by a gradient, and prediction reads.
     */
    public record ParameterSpec(String name, List<Integer> shape, Init init, int fanIn, int fanOut, boolean statistic) {
        public int size() {
            return shape.stream().reduce(1, (a, b) -> a * b);
        }
    }

    public int inputWidth() {
        return inputShape.stream().reduce(1, (a, b) -> a * b);
    }

    /** Floats per sample in the target array: 1 for a class index or a 0/1 label. */
    public int targetWidth() {
        return targetKind == TargetKind.REAL ? targetShape.stream().reduce(1, (a, b) -> a * b) : 1;
    }

    /**
     * The output above which a binary target is predicted positive: hinge scores are
     * signed margins; every other binary output is a probability or a 0/1 step.
     */
    public double binaryThreshold() {
        return loss.equals("hinge") ? 0 : 0.5;
    }

    public boolean isClassification() {
        return targetKind != TargetKind.REAL;
    }

    public String toJson() {
        return JsonRecords.toJson(this);
    }

    public static ModelSpec fromJson(String json) {
        return JsonRecords.fromJson(json, ModelSpec.class);
    }
}
