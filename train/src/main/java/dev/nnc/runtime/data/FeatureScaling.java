package dev.nnc.runtime.data;

import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.Preprocessing;
import dev.nnc.runtime.weights.Preprocessor;

/** Fits a model's input preprocessing on its training data, and applies it to data sets. */
public final class FeatureScaling {
    private FeatureScaling() {}

    public static Preprocessor fit(Preprocessing spec, Dataset train) {
        int w = train.inputWidth();
        float[] shift = new float[w];
        float[] scale = new float[w];
        java.util.Arrays.fill(scale, 1);
        switch (spec.kind()) {
            case "scale" -> java.util.Arrays.fill(scale, (float) spec.factor());
            case "standard" -> {
                for (int j = 0; j < w; j++) {
                    double sum = 0;
                    double squares = 0;
                    for (int r = 0; r < train.rows(); r++) sum += train.x()[r * w + j];
                    double mean = sum / train.rows();
                    for (int r = 0; r < train.rows(); r++) {
                        double d = train.x()[r * w + j] - mean;
                        squares += d * d;
                    }
                    double std = Math.sqrt(squares / train.rows());
                    shift[j] = (float) mean;
                    scale[j] = std > 1e-12 ? (float) (1 / std) : 1;
                }
            }
            case "minmax" -> {
                for (int j = 0; j < w; j++) {
                    float min = Float.POSITIVE_INFINITY;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int r = 0; r < train.rows(); r++) {
                        min = Math.min(min, train.x()[r * w + j]);
                        max = Math.max(max, train.x()[r * w + j]);
                    }
                    shift[j] = min;
                    scale[j] = max > min ? 1 / (max - min) : 1;
                }
            }
            default -> { }
        }
        return new Preprocessor(spec.kind(), shift, scale);
    }

    /** Inputs whose largest magnitude passes this are far from the unit range that training wants. */
    private static final double FAR = 10;

    /**
     * A hint when the input has no preprocessing and the data is far from the unit range
     * (large raw values make large gradients and slow, unstable training): which features,
     * how large, and what to write.
     */
    public static java.util.Optional<String> hint(ModelSpec spec, Dataset train,
                                                  java.util.function.Supplier<java.util.List<String>> featureNames) {
        if (!spec.preprocessing().kind().equals("none") || train.rows() == 0) return java.util.Optional.empty();
        int w = train.inputWidth();
        double largest = 0;
        java.util.List<Integer> far = new java.util.ArrayList<>();
        for (int j = 0; j < w; j++) {
            double m = 0;
            for (int r = 0; r < train.rows(); r++) m = Math.max(m, Math.abs(train.x()[r * w + j]));
            if (m > FAR) far.add(j);
            largest = Math.max(largest, m);
        }
        if (far.isEmpty()) return java.util.Optional.empty();
        // the names cost a read of the file's header: only when there is something to say
        java.util.List<String> names = featureNames.get();
        java.util.List<String> farNames = far.stream().map(j -> names.size() == w ? names.get(j) : "feature " + j).toList();
        String which = far.size() <= 4 ? String.join(", ", farNames)
                : String.join(", ", farNames.subList(0, 3)) + " and " + (far.size() - 3) + " more";
        String scale = largest == 255 ? "scale(1/255)" : "normalize(standard)";
        return java.util.Optional.of(String.format(java.util.Locale.ROOT,
                "hint: the input '%s' has no preprocessing and %d of its %d features reach beyond +-%.0f (up to %.4g: %s); "
                        + "training is faster and steadier near the unit range: write 'input %s: %s %s'",
                spec.inputName(), far.size(), w, FAR, largest, which, spec.inputName(), spec.inputShape(), scale));
    }

    /** A scaled copy of the data (the same data when there is nothing to scale). */
    public static Dataset apply(Preprocessor preprocessor, Dataset data) {
        if (data == null || preprocessor.identity()) return data;
        float[] x = data.x().clone();
        preprocessor.apply(x, data.rows());
        return new Dataset(data.origin(), x, data.y(), data.rows(), data.inputWidth(), data.targetWidth());
    }
}
