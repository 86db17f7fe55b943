package dev.nnc.spark;

import dev.nnc.compiler.cli.Nnc;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.weights.Safetensors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Training on Spark (local[2], two executor threads, a task retried once on failure)
 * against `nnc train` on the same rows: synchronous mode gives the same weights, bit for
 * bit, whatever the partitions, and even when a task fails and is run again; parameter
 * averaging comes near; bad tables get messages that name the column or the row.
 */
class NncSparkTest {
    private static SparkSession spark;

    @TempDir
    static Path dir;

    /** Dropout, a batch norm, noise, batches of 80 (three parts: 32, 32, 16), a validation split and a test split. */
    private static final String MODEL = """
            model Blobs {
                input  x: [4] scale(0.5)
                target kind: class["a", "b", "c"]
                output p = x -> dense(16) -> batch_norm -> relu -> dropout(0.2) -> dense(3) -> softmax
                loss      cross_entropy(p, kind)
                optimizer adam(lr = 0.01)
                train {
                    epochs     4
                    batch      80
                    validation 20%
                    augment    noise(std = 0.1)
                    seed       5
                }
                data {
                    train csv("blobs.csv", target = "kind")
                    test  split(0.2)
                }
            }
            """;

    private static final StructType SCHEMA = new StructType()
            .add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType)
            .add("d", DataTypes.DoubleType).add("kind", DataTypes.StringType);

    private static final List<Row> ROWS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2, 2]").appName("nnc-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        Random random = new Random(1);
        StringBuilder csv = new StringBuilder("a,b,c,d,kind\n");
        for (int i = 0; i < 500; i++) {
            int k = random.nextInt(3);
            // floats, so that the file's text and the table's doubles hold the same numbers
            double[] v = new double[4];
            for (int j = 0; j < 4; j++) v[j] = (float) ((j == k ? 2.0 : 0.0) + random.nextGaussian());
            ROWS.add(RowFactory.create(v[0], v[1], v[2], v[3], "abc".substring(k, k + 1)));
            for (double x : v) csv.append((float) x).append(',');
            csv.append("abc".charAt(k)).append('\n');
        }
        Files.writeString(dir.resolve("blobs.csv"), csv);
        Files.writeString(dir.resolve("blobs.nn"), MODEL);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> table(List<Row> rows, StructType schema, int partitions) {
        var sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(rows, partitions), schema);
    }

    private static Map<String, Safetensors.Tensor> oneMachine() {
        return oneMachine("blobs.nn");
    }

    private static Map<String, Safetensors.Tensor> oneMachine(String model) {
        Path out = dir.resolve("one-machine-" + model);
        StringWriter err = new StringWriter();
        int status = Nnc.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", dir.resolve(model).toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(0, status, err.toString());
        return Safetensors.read(out.resolve("weights.safetensors")).tensors();
    }

    private static void assertSameWeights(Map<String, Safetensors.Tensor> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            assertArrayEquals(e.getValue().data(), actual.get(e.getKey()), what + ": " + e.getKey());
        }
    }

    @Test
    void synchronousTrainingIsBitIdenticalToOneMachineOnAnyPartitioning() {
        Map<String, Safetensors.Tensor> expected = oneMachine();
        for (int partitions : new int[]{1, 3, 7}) {
            StringWriter progress = new StringWriter();
            NncSpark.Result result = NncSpark.train(spark, table(ROWS, SCHEMA, partitions), dir.resolve("blobs.nn"),
                    SparkTraining.sync().withProgress(new PrintWriter(progress)));
            assertSameWeights(expected, result.weights(), partitions + " partitions");
            assertEquals(4, result.history().size());
            assertTrue(progress.toString().contains("epoch 4/4"), progress.toString());
            assertTrue((double) result.metrics().get("test_accuracy") > 0.8, result.metrics().toString());
        }
    }

    /** The features as one MLlib vector column, as VectorAssembler makes them. */
    @Test
    void aVectorColumnOfFeaturesTrainsTheSame() {
        Dataset<Row> assembled = new org.apache.spark.ml.feature.VectorAssembler()
                .setInputCols(new String[]{"a", "b", "c", "d"}).setOutputCol("features")
                .transform(table(ROWS, SCHEMA, 3)).select("features", "kind");
        NncSpark.Result result = NncSpark.train(spark, assembled, dir.resolve("blobs.nn"), SparkTraining.sync());
        assertSameWeights(oneMachine(), result.weights(), "a vector column");
    }

    /**
     * A first layer whose weight gradient the trainer computes over the whole batch
     * (dev.nnc.runtime.InputProduct: 64 inputs, 32 outputs, update slices of whole blocks of
     * rows): the driver computes it so too, from the tasks' rows and deltas.
     */
    @Test
    void aFirstLayerGradientComputedOverTheWholeBatchIsTheSameOnTheCluster() throws Exception {
        String model = """
                model Wide {
                    input  x: [64]
                    target kind: class["a", "b", "c"]
                    output p = x -> dense(32) -> relu -> dense(3) -> softmax
                    loss      cross_entropy(p, kind)
                    optimizer adam(lr = 0.01)
                    train {
                        epochs 2
                        batch  80
                        seed   5
                    }
                    data {
                        train csv("wide.csv", target = "kind")
                    }
                }
                """;
        var network = dev.nnc.compiler.ModelLoader.load(dev.nnc.compiler.Compiler.compile(
                dev.nnc.compiler.source.SourceFile.of("wide.nn", model))).create(80);
        assertNotNull(dev.nnc.runtime.InputProduct.inSlices(network), "the trainers compute the first layer's gradient over the batch");
        Random random = new Random(2);
        StructType schema = new StructType();
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < 64; j++) {
            schema = schema.add("f" + j, DataTypes.DoubleType);
            csv.append("f").append(j).append(',');
        }
        schema = schema.add("kind", DataTypes.StringType);
        csv.append("kind\n");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int k = random.nextInt(3);
            Object[] values = new Object[65];
            for (int j = 0; j < 64; j++) {
                float v = (float) ((j % 3 == k ? 1.0 : 0.0) + random.nextGaussian());
                values[j] = (double) v;
                csv.append(v).append(',');
            }
            values[64] = "abc".substring(k, k + 1);
            csv.append("abc".charAt(k)).append('\n');
            rows.add(RowFactory.create(values));
        }
        Files.writeString(dir.resolve("wide.csv"), csv);
        Files.writeString(dir.resolve("wide.nn"), model);
        NncSpark.Result result = NncSpark.train(spark, table(rows, schema, 3), dir.resolve("wide.nn"), SparkTraining.sync());
        assertSameWeights(oneMachine("wide.nn"), result.weights(), "a first layer of 64 inputs");
    }

    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheWeightsDoNotChange(@TempDir Path out) throws Exception {
        Map<String, Safetensors.Tensor> expected = oneMachine();
        FAILED.set(false);
        TaskHook failOnce = (slot, step) -> {
            if (slot == 1 && step == 3 && FAILED.compareAndSet(false, true)) throw new IllegalStateException("a lost executor");
        };
        NncSpark.Result result = NncSpark.train(spark, table(ROWS, SCHEMA, 2), dir.resolve("blobs.nn"),
                SparkTraining.sync().withTaskHook(failOnce).withOut(out));
        assertTrue(FAILED.get(), "the hook failed a task");
        assertSameWeights(expected, result.weights(), "after a retried task");
        assertSameWeights(expected, toArrays(Safetensors.read(out.resolve("weights.safetensors")).tensors()), "--out");
        assertTrue(Files.exists(out.resolve("metrics.json")) && Files.exists(out.resolve("history.csv")));
    }

    private static Map<String, float[]> toArrays(Map<String, Safetensors.Tensor> tensors) {
        Map<String, float[]> arrays = new java.util.LinkedHashMap<>();
        tensors.forEach((name, t) -> arrays.put(name, t.data()));
        return arrays;
    }

    /** Two partitions that average after every local step: half the updates of one machine per epoch, each from twice the rows. */
    @Test
    void parameterAveragingComesNearOneMachine() {
        NncSpark.Result sync = NncSpark.train(spark, table(ROWS, SCHEMA, 2), dir.resolve("blobs.nn"),
                SparkTraining.sync().withEpochs(12));
        NncSpark.Result average = NncSpark.train(spark, table(ROWS, SCHEMA, 2), dir.resolve("blobs.nn"),
                SparkTraining.average(1).withEpochs(12));
        double one = (double) sync.metrics().get("test_accuracy");
        double averaged = (double) average.metrics().get("test_accuracy");
        assertEquals(one, averaged, 0.05, "test accuracy, one machine " + one + ", averaged " + averaged);
        assertEquals(12, average.history().size());
    }

    @Test
    void aMissingColumnIsNamed() {
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("c", DataTypes.DoubleType).add("d", DataTypes.DoubleType).add("label", DataTypes.StringType);
        UserError e = assertThrows(UserError.class, () -> NncSpark.train(spark, table(ROWS, schema, 2), dir.resolve("blobs.nn"),
                SparkTraining.sync()));
        assertEquals("error: the data has no column 'kind' for the target of Blobs; its columns: a, b, c, d, label", e.getMessage());
    }

    @Test
    void aFeatureThatIsNotANumberIsNamed() {
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.StringType)
                .add("c", DataTypes.DoubleType).add("d", DataTypes.DoubleType).add("kind", DataTypes.StringType);
        List<Row> rows = ROWS.stream().map(r -> RowFactory.create(r.get(0), String.valueOf(r.get(1)), r.get(2), r.get(3), r.get(4))).toList();
        UserError e = assertThrows(UserError.class, () -> NncSpark.train(spark, table(rows, schema, 2), dir.resolve("blobs.nn"),
                SparkTraining.sync()));
        assertTrue(e.getMessage().startsWith("error: column 'b' holds string, not numbers"), e.getMessage());
    }

    @Test
    void aNaNInAPartitionNamesItsRowAndColumn() {
        List<Row> rows = new ArrayList<>(ROWS);
        Row r = rows.get(321);
        rows.set(321, RowFactory.create(r.get(0), r.get(1), Double.NaN, r.get(3), r.get(4)));
        UserError e = assertThrows(UserError.class, () -> NncSpark.train(spark, table(rows, SCHEMA, 3), dir.resolve("blobs.nn"),
                SparkTraining.sync()));
        assertEquals("error: row 322 of the data: column 'c' is NaN, not a finite number", e.getMessage());
    }
}
