package dev.nnc.runtime.cli;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.data.LoadProgress;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.train.*;
import dev.nnc.runtime.weights.Safetensors;
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
 * validation parts, fit the preprocessing on what is left, start from random weights,
 * given ones (--init) or a checkpoint (--resume), train with checkpoints and Ctrl-C
 * handled, report, and write metrics.json, history.csv and weights.safetensors to the
 * output folder.
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

    /** The data of a run, split, before scaling; {@code source} and {@code sourceBase} name the training file. */
    private record Splits(Dataset train, Dataset validation, Dataset test, SourceSpec source, Path sourceBase) {
        /** One digest of every row the run reads, to tie a checkpoint to its data. */
        String digest() {
            long h = train.digest();
            h = h * 31 + (validation == null ? 0 : validation.digest());
            h = h * 31 + (test == null ? 0 : test.digest());
            return String.format("%016x", h);
        }
    }

    public Outcome run() throws IOException {
        ModelSpec spec = model.spec();
        TrainSpec train = trainSpec(spec.train());
        Path folderPath = options.outputFolder();
        RunFolder folder = folderPath == null ? null : new RunFolder(folderPath);
        if (options.resume != null && options.init != null) {
            throw new UserError("error: --resume continues from the checkpoint's weights; drop --init " + options.init);
        }
        if (folder != null && options.resume == null) folder.prepare();
        Splits data;
        Preprocessor preprocessor;
        Dataset all;
        Dataset validation;
        Dataset test;
        String dataDigest;
        // the JIT compiles the kernels on a throwaway instance while the data loads
        try (KernelWarmUp warmUp = KernelWarmUp.start(model, train)) {
            data = read(spec, train);
            all = data.train();
            FeatureScaling.hint(spec, all, () -> DataSources.featureNames(spec, data.source(), data.sourceBase())).ifPresent(hint -> {
                out.println(hint);
                out.flush();
            });
            preprocessor = FeatureScaling.fit(spec.preprocessing(), all);
            // a checkpoint ties itself to the raw data; without a folder, none is written
            dataDigest = folder == null ? "" : data.digest();
            // the run's own copies of the rows, read or split for it: scaled where they lie
            all = all.scaledInPlace(preprocessor);
            validation = data.validation() == null ? null : data.validation().scaledInPlace(preprocessor);
            test = data.test() == null ? null : data.test().scaledInPlace(preprocessor);
        }

        int batch = Trainer.batchSize(train, all.rows());
        Network network = model.create(Math.max(batch, Math.min(256, all.rows())));
        Initializer.initialize(network, spec, train.seed());
        if (options.init != null) initialWeights(options.init, spec, network);
        TrainingState resume = options.resume == null ? null : resume(folder, spec, dataDigest, network);
        if (resume != null) train = train.withEpochs(options.epochs != null ? options.epochs : resume.epochs());
        if (folder != null) folder.removeStaleTemporaries();
        if (!options.quiet) {
            out.printf(Locale.ROOT, "training %s: %d samples%s%s, batch %d, %d epochs%n", spec.name(), all.rows(),
                    validation == null ? "" : ", " + validation.rows() + " for validation",
                    test == null ? "" : ", " + test.rows() + " for test", batch, train.epochs());
            if (resume != null) out.println(resumeLine(resume, train.epochs(), all.rows(), folder));
            out.flush();
        }
        Scores scores = new Scores(spec);
        Trainer trainer = new Trainer(network, spec, train, spec.learningRate());
        TrainingListener listener = options.quiet ? stats -> { }
                : new ConsoleProgress(out, System.console() != null, train.epochs(), scores.name(), validation != null);
        Trainer.Result result;
        // checkpoints and Ctrl-C only when there is a folder to save into
        try (InterruptRequest interrupt = folder == null ? null : InterruptRequest.install(this::stopping)) {
            Checkpoints checkpoints = folder == null ? Checkpoints.NONE
                    : new CheckpointKeeper(folder, spec, network, preprocessor, dataDigest, train.checkpointEvery(), interrupt);
            result = trainer.fit(all, validation, options.threads(), listener, checkpoints, resume);
        } catch (TrainingInterrupted e) {
            TrainingState s = e.state();
            throw new Interrupted(String.format(Locale.ROOT,
                    "interrupted in epoch %d after %,d of %,d rows: saved %s; continue with the same command and --resume %s",
                    s.epoch() + 1, s.row(), all.rows(), folder.checkpoint(), folder.dir()));
        }
        if (!options.quiet && result.stopReason() != null) {
            out.println(result.stopReason() + (result.bestEpoch() > 0 && spec.train().earlyStop() != null
                    ? "; restored the weights of epoch " + result.bestEpoch() : ""));
        }
        Map<String, Object> metrics = metrics(spec, network, scores, all, validation, test, result);
        if (folder != null) folder.writeResults(spec, network, preprocessor, metrics, result.history());
        return new Outcome(metrics, network);
    }

    /** --resume: the checkpoint's weights and optimizer state into the network, and where its run stood. */
    private TrainingState resume(RunFolder folder, ModelSpec spec, String dataDigest, Network network) {
        if (!java.nio.file.Files.exists(folder.checkpoint())) {
            throw new UserError("error: no checkpoint in " + folder.dir() + " (" + folder.checkpoint().getFileName()
                    + "): train with --out " + folder.dir() + " to start a run there");
        }
        TrainingState state = CheckpointFile.read(folder.checkpoint(), spec, dataDigest, network);
        if (options.epochs != null && options.epochs < state.epoch()) {
            throw new UserError("error: the checkpoint has trained " + state.epoch() + " epochs already; --epochs "
                    + options.epochs + " ends before it");
        }
        return state;
    }

    private void stopping() {
        out.println();
        out.println("stopping after this batch to save a checkpoint; Ctrl-C again to quit at once");
        out.flush();
    }

    private static String resumeLine(TrainingState s, int epochs, int rows, RunFolder folder) {
        if (s.stopReason() != null || s.epoch() >= epochs) return "resuming from " + folder.checkpoint() + ": its run had ended; writing the results";
        return String.format(Locale.ROOT, "resuming from %s: epoch %d, after %,d of %,d rows", folder.checkpoint(),
                s.epoch() + 1, s.row(), rows);
    }

    /** The model's train block with the command line's --epochs and --checkpoint-every. */
    private TrainSpec trainSpec(TrainSpec train) {
        if (options.epochs != null) {
            if (options.epochs < 1) throw new UserError("error: --epochs must be at least 1, got " + options.epochs);
            train = train.withEpochs(options.epochs);
        }
        if (options.checkpointEvery != null) {
            if (options.checkpointEvery < 1) {
                throw new UserError("error: --checkpoint-every must be at least 1, got " + options.checkpointEvery);
            }
            if (options.outputFolder() == null) throw new UserError("error: --checkpoint-every needs --out DIR to write to");
            train = train.withCheckpointEvery(options.checkpointEvery);
        }
        if (options.threads() < 1) throw new UserError("error: --threads must be at least 1, got " + options.threads);
        return train;
    }

    /** --init: weights by name and shape; the file's own preprocessing is not used (the data's is). */
    private static void initialWeights(Path file, ModelSpec spec, Network network) {
        Safetensors.Contents contents = Safetensors.read(file);
        WeightsFile.load(contents, file.toString(), spec, network);
    }

    private Splits read(ModelSpec spec, TrainSpec train) {
        Path dataBase = base;
        SourceSpec trainSource = spec.data().train();
        if (options.train != null) {
            trainSource = DataSources.fromPath(spec, trainSource, options.train);
            dataBase = Path.of("");
        }
        if (trainSource == null) {
            throw new UserError("error: no training data: give --train FILE.csv or a data { train ... } block in the model");
        }
        LoadProgress progress = options.quiet ? LoadProgress.NONE : new ConsoleLoadProgress(out, System.console() != null);
        Dataset all = DataSources.read(spec, trainSource, dataBase, progress);

        Dataset test = null;
        SourceSpec testSource = spec.data().test();
        Rng splitter = new Rng(train.seed());
        if (options.test != null) {
            test = DataSources.read(spec, DataSources.fromPath(spec, testSource, options.test), Path.of(""), progress);
        } else if (testSource != null && testSource.kind().equals("split")) {
            int[] order = splitter.permutation(all.rows());
            int testRows = (int) Math.round(all.rows() * testSource.fraction());
            if (testRows == 0) {
                note("the test split (" + percent(testSource.fraction()) + " of " + rows(all.rows()) + ") has no row: no test figures");
            } else {
                test = all.select(order, 0, testRows);
                all = all.selectInPlace(order, testRows, all.rows());
            }
        } else if (testSource != null) {
            test = DataSources.read(spec, testSource, base, progress);
        }
        Dataset validation = null;
        if (train.validation() > 0) {
            int[] order = splitter.permutation(all.rows());
            int valRows = (int) Math.round(all.rows() * train.validation());
            if (valRows == 0) {
                String none = "the validation split (" + percent(train.validation()) + " of " + rows(all.rows()) + ") has no row";
                String monitored = monitoredValidationMetric(train);
                if (monitored != null) throw new UserError("error: " + none + ", and the run stops on " + monitored
                        + ": give more data or a larger validation fraction");
                note(none + ": no validation figures");
            } else {
                validation = all.select(order, 0, valRows);
                all = all.selectInPlace(order, valRows, all.rows()); // the rows this run read are its own
            }
        }
        if (all.rows() == 0) throw new UserError("error: no training rows are left after the test and validation splits");
        return new Splits(all, validation, test, trainSource, dataBase);
    }

    /** The validation metric that early stopping or an until condition watches, or null. */
    private static String monitoredValidationMetric(TrainSpec train) {
        if (train.earlyStop() != null && train.earlyStop().monitor().startsWith("val_")) return train.earlyStop().monitor();
        if (train.until() != null && train.until().metric().startsWith("val_")) return train.until().metric();
        return null;
    }

    private void note(String message) {
        if (options.quiet) return;
        out.println("note: " + message);
        out.flush();
    }

    private static String percent(double fraction) {
        return RunHints.number(fraction * 100) + "%";
    }

    private static String rows(int n) {
        return n + (n == 1 ? " row" : " rows");
    }

    /** The last lines of a run: "final:" and every metric, then a line per hint (the metrics' "hints"). */
    public static void printFinal(PrintWriter out, Map<String, Object> metrics) {
        StringBuilder line = new StringBuilder("final:");
        metrics.forEach((k, v) -> {
            if (!k.equals("hints")) line.append(String.format(Locale.ROOT, v instanceof Double d ? "  %s %.4f" : "  %s %s", k, v));
        });
        out.println(line);
        for (Object hint : (List<?>) metrics.getOrDefault("hints", List.of())) out.println("hint: " + hint);
        out.flush();
    }

    private Map<String, Object> metrics(ModelSpec spec, Network network, Scores scores, Dataset all, Dataset validation,
                                        Dataset test, Trainer.Result result) {
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
        metrics.put("hints", hints);
        if (!options.quiet) printFinal(out, metrics);
        return metrics;
    }
}
