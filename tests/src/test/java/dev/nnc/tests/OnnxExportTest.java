package dev.nnc.tests;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.spec.DataSpec.SourceSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.train.Initializer;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.WeightsFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `nnc export` writes ONNX files that ONNX Runtime loads and that predict what nnc
 * predicts, within 1e-5, on every example's test rows (raw: the preprocessing is in
 * the graph), and on a model that uses every layer the translation knows.
 */
class OnnxExportTest {
    private static final String PYTHON = "/usr/bin/python3";
    /** Rows of Fashion-MNIST in the repository, for the examples whose data is not installed. */
    private static final SourceSpec FASHION_1000 =
            SourceSpec.idx("tests/data/fashion-1000-test-images.gz", "tests/data/fashion-1000-test-labels.gz");

    /** Every layer and activation: same and valid padding, strides, both pools, an image sum, a flatten, batch norms on an image and a vector. */
    static final String EVERY_LAYER = """
            model EveryLayer {
                input  image: [9, 9, 2] normalize(standard)
                target kind: class[5]
                a = image -> conv2d(8, kernel = 3, padding = same) -> batch_norm -> leaky_relu
                b = image -> conv2d(8, kernel = 3, padding = same, bias = false) -> elu
                c = (a + b) -> avgpool(2, stride = 1) -> conv2d(6, kernel = 2, stride = 2) -> softplus -> maxpool(2)
                g = image -> conv2d(4, kernel = 5) -> sigmoid -> global_avgpool
                d = c -> flatten -> dense(7) -> batch_norm(momentum = 0.5, eps = 0.001) -> tanh
                output p = ((d -> dense(5)) + (g -> dense(5) -> relu)) -> softmax
                loss      cross_entropy(p, kind)
                optimizer adam()
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"iris", "xor", "and_gate", "sine", "residual", "fashion", "fashion_cnn"})
    void everyExampleExportsAndAgreesWithNncPredictOnItsTestRows(String example) throws Exception {
        Path file = Path.of("examples", example, example + ".nn");
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of(file.toString(), Files.readString(file)));
        ModelSpec spec = compiled.spec();
        Dataset rows = testRows(spec, file.getParent());
        Path weights = randomWeights(compiled, rows);
        Path onnx = export(file, weights);
        assertAgree(ModelLoader.load(compiled), weights, onnx, inputs(rows), rows.rows());
    }

    /** The rows' inputs, one after another (IDX images are stored as bytes, and read through copies). */
    private static float[] inputs(Dataset rows) {
        float[] x = new float[rows.rows() * rows.inputWidth()];
        float[] y = new float[rows.rows() * rows.targetWidth()];
        rows.copyRows(0, rows.rows(), x, y);
        return x;
    }

    @Test
    void everyLayerTranslatesAndAgrees() throws Exception {
        Path file = Files.writeString(dir.resolve("every.nn"), EVERY_LAYER);
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of(file.toString(), EVERY_LAYER));
        int width = compiled.spec().inputWidth();
        Random random = new Random(3);
        int n = 50;
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) x[i] = 10 + 4 * (float) random.nextGaussian(); // far from standard: the scaling counts
        Dataset rows = new Dataset("random", x, new float[n], n, width, 1);
        Path weights = randomWeights(compiled, rows);
        assertAgree(ModelLoader.load(compiled), weights, export(file, weights), x, n);
    }

    @Test
    void theWeightsOfAnotherModelAreRefusedAndNothingIsWritten() throws Exception {
        CompiledModel iris = dev.nnc.compiler.Compiler.compile(SourceFile.of("iris.nn", Files.readString(Path.of("examples/iris/iris.nn"))));
        Dataset rows = testRows(iris.spec(), Path.of("examples/iris"));
        Path weights = randomWeights(iris, rows);
        Path onnx = dir.resolve("xor.onnx");
        Cli r = Cli.run("export", "examples/xor/xor.nn", "--weights", weights.toString(), "-o", onnx.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("these weights are for model Iris, not Xor"), r.err());
        assertFalse(Files.exists(onnx));
    }

    @Test
    void theOnnxCheckerAcceptsTheFilesWherePythonOnnxIsInstalled() throws Exception {
        Assumptions.assumeTrue(pythonOnnx(), "skipped: " + PYTHON + " cannot import onnx (apt-get install python3-onnx)");
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c",
                "import onnx, sys\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)\nprint('ok')"));
        for (String example : List.of("iris", "sine", "fashion_cnn")) {
            Path file = Path.of("examples", example, example + ".nn");
            CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of(file.toString(), Files.readString(file)));
            command.add(export(file, randomWeights(compiled, testRows(compiled.spec(), file.getParent()))).toString());
        }
        Path every = Files.writeString(dir.resolve("every.nn"), EVERY_LAYER);
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.of(every.toString(), EVERY_LAYER));
        int width = compiled.spec().inputWidth();
        command.add(export(every, randomWeights(compiled, new Dataset("zeros", new float[width], new float[1], 1, width, 1))).toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("ok", output.strip());
    }

    private Path export(Path model, Path weights) {
        Path onnx = dir.resolve(model.getFileName() + ".onnx");
        Cli r = Cli.run("export", model.toString(), "--weights", weights.toString(), "-o", onnx.toString());
        assertEquals(0, r.status(), r.err());
        return onnx;
    }

    /** The example's test rows; its training rows when it tests on a split of them; the repository's Fashion-MNIST rows when the data is not installed. */
    private static Dataset testRows(ModelSpec spec, Path base) {
        SourceSpec source = spec.data().test() == null || spec.data().test().kind().equals("split")
                ? spec.data().train() : spec.data().test();
        if (source.kind().equals("idx") && !Files.exists(base.resolve(source.paths().get(0)))) {
            return DataSources.read(spec, FASHION_1000, Path.of(""));
        }
        return DataSources.read(spec, source, base);
    }

    /** Initial weights with biases moved off zero, and the preprocessing fitted on the rows. */
    private Path randomWeights(CompiledModel compiled, Dataset rows) throws Exception {
        Network network = ModelLoader.load(compiled).create(1);
        Initializer.initialize(network, compiled.spec(), 7);
        Random random = new Random(11);
        for (float[] p : network.parameters()) {
            for (int i = 0; i < p.length; i++) p[i] += (float) (0.05 * random.nextGaussian());
        }
        Preprocessor preprocessor = FeatureScaling.fit(compiled.spec().preprocessing(), rows);
        Path weights = Files.createTempFile(dir, "weights", ".safetensors");
        WeightsFile.save(weights, compiled.spec(), network, preprocessor);
        return weights;
    }

    /** nnc's predictions (as nnc predict makes them: scaled rows through the network) against ONNX Runtime's on the raw rows. */
    private static void assertAgree(ModelClass model, Path weights, Path onnx, float[] x, int n) throws Exception {
        ModelSpec spec = model.spec();
        int width = spec.inputWidth();
        int outputs = spec.outputWidth();
        Network network = model.create(256);
        Preprocessor preprocessor = WeightsFile.load(weights, spec, network);
        float[] expected = new float[n * outputs];
        float[] part = new float[256 * width];
        for (int from = 0; from < n; from += 256) {
            int rows = Math.min(256, n - from);
            System.arraycopy(x, from * width, part, 0, rows * width);
            preprocessor.apply(part, rows);
            System.arraycopy(network.predict(part, rows), 0, expected, from * outputs, rows * outputs);
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = LongStream.concat(LongStream.of(n), spec.inputShape().stream().mapToLong(Integer::longValue)).toArray();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, n * width), shape);
             OrtSession.Result result = session.run(Map.of(spec.inputName(), input))) {
            float[][] actual = (float[][]) result.get(0).getValue();
            assertEquals(n, actual.length);
            double worst = 0;
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < outputs; j++) worst = Math.max(worst, Math.abs(actual[r][j] - expected[r * outputs + j]));
            }
            assertTrue(worst <= 1e-5, spec.name() + ": ONNX Runtime differs from nnc by up to " + worst + " on " + n + " rows");
        }
    }

    private static boolean pythonOnnx() throws InterruptedException {
        try {
            return new ProcessBuilder(PYTHON, "-c", "import onnx").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
