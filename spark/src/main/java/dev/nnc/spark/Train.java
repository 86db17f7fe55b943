package dev.nnc.spark;

import dev.nnc.compiler.source.CompileError;
import dev.nnc.runtime.UserError;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code spark-submit --class dev.nnc.spark.Train nnc-spark.jar MODEL.nn --data parquet:PATH|csv:PATH
 * [--test parquet:PATH|csv:PATH] [--out DIR] [--mode sync|average] [--local-steps K] [--epochs N]}:
 * trains the model on the table where it lies, printing what `nnc train` prints; --out
 * receives the files `nnc train --out` writes. Exit status 0, 1 for an error in the
 * model or the data (a message, not a trace), 2 for a usage error.
 */
public final class Train {
    private static final String USAGE = "usage: spark-submit --class dev.nnc.spark.Train nnc-spark.jar MODEL.nn "
            + "--data parquet:PATH|csv:PATH [--test parquet:PATH|csv:PATH] [--out DIR] [--mode sync|average] "
            + "[--local-steps K] [--epochs N]";

    private Train() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SparkSession spark = SparkSession.builder().appName("nnc " + a.model().getFileName()).getOrCreate();
        try {
            SparkTraining options = (a.mode().equals("average") ? SparkTraining.average(a.localSteps()) : SparkTraining.sync())
                    .withEpochs(a.epochs()).withOut(a.out()).withProgress(out)
                    .withTest(a.test() == null ? null : read(spark, a.test()));
            NncSpark.train(spark, read(spark, a.data()), a.model(), options);
            return 0;
        } catch (UserError | CompileError e) {
            err.println(e.getMessage());
            return 1;
        } finally {
            spark.stop();
        }
    }

    /** parquet:PATH or csv:PATH (a header row; column types inferred). */
    static Dataset<Row> read(SparkSession spark, String source) {
        int colon = source.indexOf(':');
        String kind = colon < 0 ? "" : source.substring(0, colon).toLowerCase(Locale.ROOT);
        String path = source.substring(colon + 1);
        try {
            return switch (kind) {
                case "parquet" -> spark.read().parquet(path);
                case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(path);
                default -> throw new UserError("error: data '" + source + "': write parquet:PATH or csv:PATH");
            };
        } catch (Exception e) {
            if (e instanceof UserError u) throw u;
            throw new UserError("error: cannot read " + source + ": " + e.getMessage());
        }
    }

    record Arguments(Path model, String data, String test, Path out, String mode, int localSteps, Integer epochs) {
        static Arguments parse(String[] args) {
            List<String> rest = new ArrayList<>(List.of(args));
            String data = option(rest, "--data");
            String test = option(rest, "--test");
            String out = option(rest, "--out");
            String mode = option(rest, "--mode");
            String steps = option(rest, "--local-steps");
            String epochs = option(rest, "--epochs");
            if (rest.size() != 1 || rest.get(0).startsWith("--")) {
                throw new IllegalArgumentException(rest.isEmpty() ? "no model file" : "unexpected " + String.join(" ", rest));
            }
            if (data == null) throw new IllegalArgumentException("--data is required");
            if (mode != null && !mode.equals("sync") && !mode.equals("average")) {
                throw new IllegalArgumentException("--mode is sync or average, not " + mode);
            }
            return new Arguments(Path.of(rest.get(0)), data, test, out == null ? null : Path.of(out),
                    mode == null ? "sync" : mode, steps == null ? 8 : positive("--local-steps", steps),
                    epochs == null ? null : positive("--epochs", epochs));
        }

        private static String option(List<String> args, String name) {
            int at = args.indexOf(name);
            if (at < 0) return null;
            if (at + 1 >= args.size()) throw new IllegalArgumentException(name + " needs a value");
            String value = args.get(at + 1);
            args.subList(at, at + 2).clear();
            return value;
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // said below
            }
            throw new IllegalArgumentException(name + " must be a whole number >= 1, got " + value);
        }
    }
}
