package dev.nnc.spark;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.DeepStack;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.cli.ConsoleProgress;
import dev.nnc.runtime.cli.RunFolder;
import dev.nnc.runtime.cli.TrainingSession;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.train.*;
import dev.nnc.runtime.weights.Preprocessor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains a .nn model on a Spark table where it lies, on the cluster the application
 * already runs. The driver compiles the model; its class files travel to the executors
 * as bytes and are defined there. Rows are split into training, validation and test
 * rows as `nnc train` splits a file; the training loop (schedule, early stopping,
 * `until`, progress) is nnc's own, on the driver, and only where the steps run differs:
 * see {@link SparkTraining.Mode}.
 */
public final class NncSpark {
    private NncSpark() {}

    /** The trained weights (by name, in spec order), the preprocessing fitted on the data, the history and the metrics. */
    public record Result(Map<String, float[]> weights, Preprocessor preprocessor, List<EpochStats> history,
                         Map<String, Object> metrics) {}

    public static Result train(SparkSession spark, Dataset<Row> table, Path modelFile, SparkTraining options) {
        CompiledModel compiled = compile(modelFile);
        try {
            return train(spark, table, compiled, options);
        } catch (Exception e) { // Spark's own exceptions are checked ones, thrown unchecked from Scala
            throw userErrorIn(e);
        }
    }

    private static CompiledModel compile(Path modelFile) {
        return DeepStack.run(() -> {
            try {
                return Compiler.compile(SourceFile.read(modelFile));
            } catch (IOException e) {
                throw new UserError("error: cannot read " + modelFile + ": " + e.getMessage());
            }
        });
    }

    private static Result train(SparkSession spark, Dataset<Row> table, CompiledModel compiled, SparkTraining options) {
        ModelClass model = ModelLoader.load(compiled);
        ModelSpec spec = model.spec();
        TrainSpec train = options.epochs() == null ? spec.train() : spec.train().withEpochs(options.epochs());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ModelBytes bytes = new ModelBytes(sc, compiled.className(), compiled.classes());
        Columns columns = Columns.of(table.schema(), spec);
        ClusterData data = ClusterData.load(sc, table.javaRDD(), columns);
        SourceSpec testSource = spec.data().test();
        double testSplit = options.test() == null && testSource != null && testSource.kind().equals("split") ? testSource.fraction() : 0;
        ClusterData.Roles roles = ClusterData.split(data.rows, testSplit, train.validation(), train.seed());
        Broadcast<byte[]> role = sc.broadcast(roles.role());
        Preprocessor preprocessor = data.fit(sc, spec.preprocessing(), role, spec.inputWidth());
        data = data.preprocessed(sc, preprocessor);
        ClusterData test = options.test() == null ? null
                : ClusterData.load(sc, options.test().javaRDD(), Columns.of(options.test().schema(), spec)).preprocessed(sc, preprocessor);

        int rows = roles.trainRows().length;
        int batch = Trainer.batchSize(train, rows);
        Network network = model.create(Math.max(batch, Math.min(256, rows)));
        Initializer.initialize(network, spec, train.seed());
        int validationRows = roles.count(ClusterData.VALIDATION);
        announce(options, spec, train, data, rows, validationRows, batch);
        ClusterData cluster = data;
        Supplier<Evaluation> validation = validationRows == 0 ? null
                : () -> cluster.evaluate(sc, bytes, spec, Weights.of(network), role, ClusterData.VALIDATION);
        TrainingListener listener = options.progress() == null ? stats -> { }
                : new ConsoleProgress(options.progress(), false, train.epochs(), new Scores(spec).name(), validationRows > 0);
        Trainer trainer = new Trainer(network, spec, train, spec.learningRate());
        Trainer.Result result;
        if (options.mode() == SparkTraining.Mode.SYNC) {
            try (SyncSteps steps = new SyncSteps(sc, data, bytes, spec, network, roles.trainRows(), batch, Trainer.dropoutSeed(train),
                    train.seed() * 31 + 11, options.taskHook())) {
                result = trainer.fit(rows, steps, validation, listener, Checkpoints.NONE, null);
                report(options, steps.timing());
            }
        } else {
            if (options.localSteps() < 1) throw new UserError("error: average mode needs at least 1 local step, got " + options.localSteps());
            try (AverageSteps steps = new AverageSteps(sc, data, bytes, network, role, batch, options.localSteps(),
                    train.seed() * 31 + 17, options.taskHook())) {
                result = trainer.fit(rows, Math.min(rows, steps.roundRows()), steps, validation, listener, Checkpoints.NONE, null);
                report(options, steps.timing());
            }
        }
        Map<String, Object> metrics = metrics(sc, spec, bytes, network, data, test, role, validationRows > 0, testSplit > 0, result);
        if (options.progress() != null) TrainingSession.printFinal(options.progress(), metrics);
        if (options.out() != null) write(options.out(), spec, network, preprocessor, metrics, result.history());
        data.release();
        if (test != null) test.release();
        bytes.release();
        return new Result(weightsByName(spec, network), preprocessor, result.history(), metrics);
    }

    private static void announce(SparkTraining options, ModelSpec spec, TrainSpec train, ClusterData data, int rows,
                                 int validationRows, int batch) {
        if (options.progress() == null) return;
        options.progress().printf(Locale.ROOT, "training %s on Spark (%s, %d partitions): %d samples%s, batch %d, %d epochs%n",
                spec.name(), options.mode().name().toLowerCase(Locale.ROOT), data.firsts.length, rows,
                validationRows == 0 ? "" : ", " + validationRows + " for validation", batch, train.epochs());
        options.progress().flush();
    }

    /** --out: the files `nnc train --out` writes. */
    private static void write(Path out, ModelSpec spec, Network network, Preprocessor preprocessor, Map<String, Object> metrics,
                              List<EpochStats> history) {
        try {
            new RunFolder(out).writeResults(spec, network, preprocessor, metrics, history);
        } catch (IOException e) {
            throw new UserError("error: cannot write the results to " + out + ": " + e.getMessage());
        }
    }

    private static Map<String, float[]> weightsByName(ModelSpec spec, Network network) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (int i = 0; i < spec.parameters().size(); i++) weights.put(spec.parameters().get(i).name(), network.parameters()[i].clone());
        return weights;
    }

    private static void report(SparkTraining options, Timing timing) {
        if (options.progress() == null) return;
        options.progress().println("spark: " + timing);
        options.progress().flush();
    }

    private static Map<String, Object> metrics(JavaSparkContext sc, ModelSpec spec, ModelBytes bytes, Network network,
                                               ClusterData data, ClusterData test, Broadcast<byte[]> role,
                                               boolean validation, boolean testSplit, Trainer.Result result) {
        String score = new Scores(spec).name();
        float[][] weights = Weights.of(network);
        Map<String, Object> metrics = new LinkedHashMap<>();
        Evaluation onTrain = data.evaluate(sc, bytes, spec, weights, role, ClusterData.TRAIN);
        metrics.put("train_loss", onTrain.loss());
        metrics.put("train_" + score, onTrain.score());
        if (validation) {
            Evaluation v = data.evaluate(sc, bytes, spec, weights, role, ClusterData.VALIDATION);
            metrics.put("val_loss", v.loss());
            metrics.put("val_" + score, v.score());
        }
        Evaluation t = testSplit ? data.evaluate(sc, bytes, spec, weights, role, ClusterData.TEST)
                : test == null ? null : test.evaluate(sc, bytes, spec, weights, null, -1);
        if (t != null) {
            metrics.put("test_loss", t.loss());
            metrics.put("test_" + score, t.score());
        }
        metrics.put("epochs_run", result.history().size());
        metrics.put("seconds", result.history().stream().mapToDouble(EpochStats::seconds).sum());
        metrics.put("hints", new ArrayList<>(RunHints.of(spec, result.history())));
        return metrics;
    }

    /**
     * A user's error thrown in a task reaches the driver inside Spark's exceptions: the
     * error itself, so that it is reported as one (a row and column), not as a stack trace.
     */
    static RuntimeException userErrorIn(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError u) return u;
        }
        // a failed stage reports its task's exception in its message only
        String marker = UserError.class.getName() + ": ";
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(marker);
        if (at < 0) return e instanceof RuntimeException r ? r : new IllegalStateException(e);
        int end = message.indexOf('\n', at);
        return new UserError(message.substring(at + marker.length(), end < 0 ? message.length() : end).strip());
    }
}
