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
                // per feature, sums over the rows in order: the same doubles whether the rows are on the heap or mapped
                double[] sum = new double[w];
                forEachRow(train, (x, at) -> {
                    for (int j = 0; j < w; j++) sum[j] += x[at + j];
                });
                double[] mean = new double[w];
                for (int j = 0; j < w; j++) mean[j] = sum[j] / train.rows();
                double[] squares = new double[w];
                forEachRow(train, (x, at) -> {
                    for (int j = 0; j < w; j++) {
                        double d = x[at + j] - mean[j];
                        squares[j] += d * d;
                    }
                });
                return standard(mean, squares, train.rows());
            }
            case "minmax" -> {
                float[] min = new float[w];
                float[] max = new float[w];
                java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
                java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
                forEachRow(train, (x, at) -> {
                    for (int j = 0; j < w; j++) {
                        min[j] = Math.min(min[j], x[at + j]);
                        max[j] = Math.max(max[j], x[at + j]);
                    }
                });
                return minmax(min, max);
            }
            default -> { }
        }
        return new Preprocessor(spec.kind(), shift, scale);
    }

    /** Standardization from each feature's mean and sum of squared deviations over {@code rows} rows. */
    public static Preprocessor standard(double[] mean, double[] squares, long rows) {
        float[] shift = new float[mean.length];
        float[] scale = new float[mean.length];
        for (int j = 0; j < mean.length; j++) {
            double std = Math.sqrt(squares[j] / rows);
            shift[j] = (float) mean[j];
            scale[j] = std > 1e-12 ? (float) (1 / std) : 1;
        }
        return new Preprocessor("standard", shift, scale);
    }

    /** Scaling to [0, 1] from each feature's smallest and largest value. */
    public static Preprocessor minmax(float[] min, float[] max) {
        float[] shift = new float[min.length];
        float[] scale = new float[min.length];
        for (int j = 0; j < min.length; j++) {
            shift[j] = min[j];
            scale[j] = max[j] > min[j] ? 1 / (max[j] - min[j]) : 1;
        }
        return new Preprocessor("minmax", shift, scale);
    }

    /** Receives each row's inputs: x from {@code at}. */
    private interface RowVisitor {
        void visit(float[] x, int at);
    }

    /** Every row's inputs, in order, a few thousand rows at a time. */
    private static void forEachRow(Dataset data, RowVisitor visitor) {
        int chunk = 4096;
        float[] x = new float[chunk * data.inputWidth()];
        float[] y = new float[chunk * data.targetWidth()];
        for (int from = 0; from < data.rows(); from += chunk) {
            int n = Math.min(chunk, data.rows() - from);
            data.copyRows(from, n, x, y);
            for (int r = 0; r < n; r++) visitor.visit(x, r * data.inputWidth());
        }
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
        double[] magnitude = new double[w];
        forEachRow(train, (x, at) -> {
            for (int j = 0; j < w; j++) magnitude[j] = Math.max(magnitude[j], Math.abs(x[at + j]));
        });
        for (int j = 0; j < w; j++) {
            if (magnitude[j] > FAR) far.add(j);
            largest = Math.max(largest, magnitude[j]);
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

    /** The data scaled (the same data when there is nothing to scale): see {@link Dataset#scaled}. */
    public static Dataset apply(Preprocessor preprocessor, Dataset data) {
        return data == null ? null : data.scaled(preprocessor);
    }
}
