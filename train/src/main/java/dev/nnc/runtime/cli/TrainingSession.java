package dev.nnc.runtime.cli;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.json.Json;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.train.*;
import dev.nnc.runtime.weights.AtomicFiles;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run as the command line does it: read the data, split off the test and
 * validation parts, fit the preprocessing on what is left, train, report, and write
 * metrics.json, history.csv and weights.safetensors to the output folder.
 */
public final class TrainingSession {
    private final ModelClass model;
    private final TrainOptions options;
    private final Path base;
    private final PrintWriter out;

    /** {@code base}: the folder the model's data paths are relative to. */
    public TrainingSession(ModelClass model, TrainOptions options, Path base, PrintWriter out) {
        this.model = model;
        this.options = options;
        this.base = base;
        this.out = out;
    }

    public record Outcome(Map<String, Object> metrics, Network network) {}

    public Outcome run() throws IOException {
        ModelSpec spec = model.spec();
        TrainSpec train = spec.train();
        if (options.epochs != null) {
            if (options.epochs < 1) throw new UserError("error: --epochs must be at least 1, got " + options.epochs);
            train = new TrainSpec(options.epochs, train.batch(), train.shuffle(), train.validation(), train.earlyStop(),
                    train.schedule(), train.augment(), train.until(), train.seed());
        }
        if (options.threads() < 1) throw new UserError("error: --threads must be at least 1, got " + options.threads);

        Path dataBase = base;
        SourceSpec trainSource = spec.data().train();
        if (options.train != null) {
            trainSource = DataSources.fromPath(spec, trainSource, options.train);
            dataBase = Path.of("");
        }
        if (trainSource == null) {
            throw new UserError("error: no training data: give --train FILE.csv or a data { train ... } block in the model");
        }
        Dataset all = DataSources.read(spec, trainSource, dataBase);

        Dataset test = null;
        SourceSpec testSource = spec.data().test();
        Rng splitter = new Rng(train.seed());
        if (options.test != null) {
            test = DataSources.read(spec, DataSources.fromPath(spec, testSource, options.test), Path.of(""));
        } else if (testSource != null && testSource.kind().equals("split")) {
            int[] order = permutation(all.rows(), splitter);
            int testRows = (int) Math.round(all.rows() * testSource.fraction());
            test = all.select(order, 0, testRows);
            all = all.select(order, testRows, all.rows());
        } else if (testSource != null) {
            test = DataSources.read(spec, testSource, base);
        }
        Dataset validation = null;
        if (train.validation() > 0) {
            int[] order = permutation(all.rows(), splitter);
            int valRows = (int) Math.round(all.rows() * train.validation());
            validation = all.select(order, 0, valRows);
            all = all.select(order, valRows, all.rows());
        }
        if (all.rows() == 0) throw new UserError("error: no training rows are left after the test and validation splits");

        SourceSpec source = trainSource;
        Path sourceBase = dataBase;
        FeatureScaling.hint(spec, all, () -> DataSources.featureNames(spec, source, sourceBase)).ifPresent(hint -> {
            out.println(hint);
            out.flush();
        });
        Preprocessor preprocessor = FeatureScaling.fit(spec.preprocessing(), all);
        all = FeatureScaling.apply(preprocessor, all);
        validation = FeatureScaling.apply(preprocessor, validation);
        test = FeatureScaling.apply(preprocessor, test);

        int batch = Trainer.batchSize(train, all.rows());
        Network network = model.create(Math.max(batch, Math.min(256, all.rows())));
        Initializer.initialize(network, spec, train.seed());
        double lr = spec.learningRate();
        if (!options.quiet) {
            out.printf(Locale.ROOT, "training %s: %d samples%s%s, batch %d, %d epochs%n", spec.name(), all.rows(),
                    validation == null ? "" : ", " + validation.rows() + " for validation",
                    test == null ? "" : ", " + test.rows() + " for test", batch, train.epochs());
            out.flush();
        }
        Scores scores = new Scores(spec);
        Trainer trainer = new Trainer(network, spec, train, lr);
        TrainingListener listener = options.quiet ? stats -> { }
                : new ConsoleProgress(out, System.console() != null, train.epochs(), scores.name(), validation != null);
        Trainer.Result result = trainer.fit(all, validation, options.threads(), listener);
        if (!options.quiet && result.stopReason() != null) {
            out.println(result.stopReason() + (result.bestEpoch() > 0 && spec.train().earlyStop() != null
                    ? "; restored the weights of epoch " + result.bestEpoch() : ""));
        }

        Map<String, Object> metrics = new LinkedHashMap<>();
        Evaluation onTrain = Evaluation.of(network, scores, all);
        metrics.put("train_loss", onTrain.loss());
        metrics.put("train_" + scores.name(), onTrain.score());
        if (validation != null) {
            Evaluation v = Evaluation.of(network, scores, validation);
            metrics.put("val_loss", v.loss());
            metrics.put("val_" + scores.name(), v.score());
        }
        if (test != null) {
            Evaluation t = Evaluation.of(network, scores, test);
            metrics.put("test_loss", t.loss());
            metrics.put("test_" + scores.name(), t.score());
        }
        metrics.put("epochs_run", result.history().size());
        metrics.put("seconds", result.history().stream().mapToDouble(EpochStats::seconds).sum());
        List<String> hints = new ArrayList<>(RunHints.of(spec, result.history()));
        DeadUnits.hint(network, all).ifPresent(hints::add);
        if (!options.quiet) {
            StringBuilder line = new StringBuilder("final:");
            metrics.forEach((k, v) -> line.append(String.format(Locale.ROOT, v instanceof Double d ? "  %s %.4f" : "  %s %s", k, v)));
            out.println(line);
            for (String hint : hints) out.println("hint: " + hint);
            out.flush();
        }
        metrics.put("hints", hints);
        if (options.out != null) write(options.out, spec, network, preprocessor, metrics, result.history());
        return new Outcome(metrics, network);
    }

    private static int[] permutation(int n, Rng rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.shuffle(order);
        return order;
    }

    private static void write(Path dir, ModelSpec spec, Network network, Preprocessor preprocessor,
                              Map<String, Object> metrics, List<EpochStats> history) throws IOException {
        WeightsFile.save(dir.resolve("weights.safetensors"), spec, network, preprocessor);
        AtomicFiles.write(dir.resolve("metrics.json"), Json.pretty(metrics) + "\n");
        StringBuilder csv = new StringBuilder("epoch,lr,loss,accuracy,val_loss,val_accuracy,seconds\n");
        boolean classes = spec.isClassification();
        for (EpochStats s : history) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.4f%n", s.epoch(), s.lr(), s.loss(),
                    classes ? s.score() : "", Double.isNaN(s.valLoss()) ? "" : s.valLoss(),
                    classes && !Double.isNaN(s.valScore()) ? s.valScore() : "", s.seconds()));
        }
        AtomicFiles.write(dir.resolve("history.csv"), csv.toString());
        AtomicFiles.write(dir.resolve("curves.png"), CurvePlot.png(history, classes ? "accuracy" : "mse"));
    }
}
