package dev.nnc.runtime.cli;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.json.Json;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.CsvReader;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.train.Evaluation;
import dev.nnc.runtime.train.Scores;
import dev.nnc.runtime.weights.AtomicFiles;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** `eval` and `predict`: a trained model's weights applied to data. */
public final class Inference {
    private static final int CHUNK = 256;

    private Inference() {}

    /** Loss and accuracy (or MSE) of the weights on the test data. */
    public static Map<String, Object> eval(ModelClass model, Path weights, String testPath, Path base, Path outDir,
                                           PrintWriter out) throws IOException {
        ModelSpec spec = model.spec();
        Network network = model.create(CHUNK);
        Preprocessor preprocessor = WeightsFile.load(weights, spec, network);
        network.packWeights();
        SourceSpec source = testPath != null ? DataSources.fromPath(spec, spec.data().test(), testPath) : spec.data().test();
        Path dataBase = testPath != null ? Path.of("") : base;
        if (source == null || source.kind().equals("split")) {
            throw new UserError("error: no test data: give --test FILE" + (source == null ? "" : " (the model's test data is a split of its training data)"));
        }
        // rows read for this evaluation alone: scaled where they lie
        Dataset test = DataSources.read(spec, source, dataBase).scaledInPlace(preprocessor);
        Scores scores = new Scores(spec);
        Evaluation e = Evaluation.of(network, scores, test);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_loss", e.loss());
        metrics.put("test_" + scores.name(), e.score());
        metrics.put("test_samples", test.rows());
        out.printf(Locale.ROOT, "%s on %d samples: loss %.4f  %s %.4f%n", spec.name(), test.rows(), e.loss(), scores.name(), e.score());
        out.flush();
        if (outDir != null) {
            AtomicFiles.write(outDir.resolve("metrics.json"), Json.pretty(metrics) + "\n");
        }
        return metrics;
    }

    /**
     * One output row per input row: for classes, the predicted class name and each
     * class's probability; for regression, the predicted values.
     */
    public static void predict(ModelClass model, Path weights, Path input, Path output, PrintWriter out) throws IOException {
        ModelSpec spec = model.spec();
        Network network = model.create(CHUNK);
        Preprocessor preprocessor = WeightsFile.load(weights, spec, network);
        network.packWeights();
        Dataset data = new CsvReader(spec, spec.targetName()).readInputs(input).scaledInPlace(preprocessor);
        Scores scores = new Scores(spec);
        StringBuilder csv = new StringBuilder(header(spec));
        float[] x = new float[CHUNK * data.inputWidth()];
        float[] targets = new float[CHUNK * data.targetWidth()];
        int w = spec.outputWidth();
        for (int from = 0; from < data.rows(); from += CHUNK) {
            int n = Math.min(CHUNK, data.rows() - from);
            data.copyRows(from, n, x, targets);
            float[] predictions = network.predict(x, n);
            for (int r = 0; r < n; r++) {
                if (spec.isClassification()) csv.append(csvField(spec.classNames().get(scores.predictedClass(predictions, r))));
                for (int j = 0; j < w; j++) {
                    if (spec.isClassification() || j > 0) csv.append(',');
                    csv.append(predictions[r * w + j]);
                }
                csv.append('\n');
            }
        }
        if (output == null) {
            out.print(csv);
            out.flush();
        } else {
            AtomicFiles.write(output, csv.toString());
        }
    }

    private static String header(ModelSpec spec) {
        StringBuilder h = new StringBuilder();
        if (spec.targetKind() == ModelSpec.TargetKind.REAL) {
            for (int j = 0; j < spec.outputWidth(); j++) h.append(j > 0 ? "," : "").append(spec.targetName()).append(spec.outputWidth() > 1 ? "_" + j : "");
        } else if (spec.targetKind() == ModelSpec.TargetKind.BINARY) {
            h.append(spec.targetName()).append(",score");
        } else {
            h.append(spec.targetName());
            for (String c : spec.classNames()) h.append(',').append(csvField("p_" + c));
        }
        return h.append('\n').toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains(" ") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
