package dev.nnc.tests;

import dev.nnc.runtime.predict.Classification;
import dev.nnc.runtime.predict.Classifier;
import dev.nnc.runtime.predict.ModelLoadException;
import dev.nnc.runtime.predict.Regression;
import dev.nnc.runtime.predict.Regressor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The typed class an application uses, from a jar that {@code nnc compile --package
 * --weights} wrote: it loads bundled or given weights, applies the preprocessing,
 * predicts what {@code nnc predict} predicts, and says clearly what is wrong with bad
 * input or bad weights.
 */
class TypedModelTest {
    @TempDir
    static Path dir;
    static Path irisWeights;
    static Path sineWeights;
    static Class<?> iris;

    @BeforeAll
    static void trainAndCompile() throws Exception {
        assertEquals(0, Cli.run("train", "examples/iris/iris.nn", "--out", dir.resolve("iris").toString(), "--quiet").status());
        assertEquals(0, Cli.run("train", "examples/sine/sine.nn", "--epochs", "3", "--out", dir.resolve("sine").toString(), "--quiet").status());
        irisWeights = dir.resolve("iris/weights.safetensors");
        sineWeights = dir.resolve("sine/weights.safetensors");
        iris = compiledClass("examples/iris/iris.nn", "org.example.typed", irisWeights, "org.example.typed.Iris");
    }

    /** The typed class from a jar that nnc compile wrote, loaded beside this test's runtime. */
    static Class<?> compiledClass(String model, String packageName, Path weights, String className) throws Exception {
        Path jar = dir.resolve(className + ".jar");
        List<String> args = new ArrayList<>(List.of("compile", model, "--package", packageName, "-o", jar.toString()));
        if (weights != null) args.addAll(List.of("--weights", weights.toString()));
        Cli compiled = Cli.run(args.toArray(String[]::new));
        assertEquals(0, compiled.status(), compiled.err());
        URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, TypedModelTest.class.getClassLoader());
        return Class.forName(className, true, loader);
    }

    static Object load(Class<?> typed, Object... weights) throws Throwable {
        Class<?>[] types = weights.length == 0 ? new Class<?>[0]
                : new Class<?>[]{weights[0] instanceof Path ? Path.class : java.io.InputStream.class};
        Method load = typed.getMethod("load", types);
        assertEquals(typed, load.getReturnType());
        try {
            return load.invoke(null, weights);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void predictsWhatNncPredictPrints() throws Throwable {
        Classifier model = (Classifier) load(iris);
        assertEquals(List.of("setosa", "versicolor", "virginica"), model.classNames());
        assertEquals(4, model.inputWidth());
        Path rows = dir.resolve("flowers.csv");
        Files.writeString(rows, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,3.0,4.2,1.5\n");
        Cli predicted = Cli.run("predict", "examples/iris/iris.nn", "--weights", irisWeights.toString(), "--input", rows.toString());
        assertEquals(0, predicted.status(), predicted.err());
        String[] lines = predicted.out().strip().split("\n");
        float[][] flowers = {{5.1f, 3.5f, 1.4f, 0.2f}, {6.7f, 3.0f, 5.2f, 2.3f}, {5.9f, 3.0f, 4.2f, 1.5f}};
        for (int i = 0; i < flowers.length; i++) {
            Classification c = model.predict(flowers[i]);
            String[] fields = lines[i + 1].split(",");
            assertEquals(fields[0], c.label());
            for (int j = 0; j < 3; j++) assertEquals(Float.parseFloat(fields[j + 1]), c.probabilities()[j], "row " + i);
            assertEquals(c.probabilities()[c.index()], c.probability());
            assertEquals(c.label(), c.top(1).get(0).label());
        }
        assertEquals(List.of("setosa", "virginica", "versicolor"), model.predict(flowers).stream().map(Classification::label).toList());
    }

    @Test
    void aBatchGivesExactlyTheRowsAlone() throws Throwable {
        Classifier model = (Classifier) load(iris, irisWeights);
        float[][] rows = flowers(1000, 5);
        List<Classification> batch = model.predict(rows);
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(model.predict(rows[r]).probabilities(), batch.get(r).probabilities(), "row " + r);
        }
        assertTrue(model.predict(new float[0][]).isEmpty());
    }

    /** Made-up measurements of {@code count} flowers, each in 0.5-7.5 cm. */
    private static float[][] flowers(int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[][] rows = new float[count][4];
        for (float[] row : rows) for (int j = 0; j < 4; j++) row[j] = 0.5f + 7 * random.nextFloat();
        return rows;
    }

    /** A warm-up predicts made-up rows through the model's own calls; what it gives for any row stays the same. */
    @Test
    void aWarmUpChangesNoPrediction() throws Throwable {
        Classifier model = (Classifier) load(iris, irisWeights);
        float[][] rows = flowers(300, 7);
        List<Classification> before = model.predict(rows);
        float[] one = model.predict(rows[0]).probabilities();

        assertFalse(model.warmUp(java.time.Duration.ofMillis(300)).isNegative());
        List<Classification> after = model.predict(rows);
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(before.get(r).probabilities(), after.get(r).probabilities(), "row " + r);
        }
        assertArrayEquals(one, model.predict(rows[0]).probabilities());
    }

    @Test
    void aModelNamedLikeATypeItsClassUsesStillCompiles() throws Throwable {
        for (String name : List.of("Classifier", "Predictor", "Path", "InputStream")) {
            Path model = Files.writeString(dir.resolve(name + ".nn"),
                    Files.readString(Path.of("examples/iris/iris.nn")).replace("model Iris", "model " + name));
            Path out = dir.resolve(name + "-run");
            assertEquals(0, Cli.run("train", model.toString(), "--train", "examples/iris/iris.csv", "--epochs", "1",
                    "--out", out.toString(), "--quiet").status());
            Class<?> typed = compiledClass(model.toString(), "org.example.named", null, "org.example.named." + name);
            Classifier classifier = (Classifier) load(typed, out.resolve("weights.safetensors"));
            assertEquals(3, classifier.predict(5.1f, 3.5f, 1.4f, 0.2f).probabilities().length, name);
        }
    }

    @Test
    void regressionAndStreams() throws Throwable {
        Class<?> sine = compiledClass("examples/sine/sine.nn", "nnc.models", null, "nnc.models.Sine");
        Regressor model = (Regressor) load(sine, new ByteArrayInputStream(Files.readAllBytes(sineWeights)));
        Regression r = model.predict(0.5f);
        assertEquals(1, r.values().length);
        assertEquals(r.value(0), model.predict(new float[][]{{0.5f}}).get(0).value(0));
    }

    @Test
    void badInputSaysWhatWasExpected() throws Throwable {
        Classifier model = (Classifier) load(iris);
        var wrongWidth = assertThrows(IllegalArgumentException.class, () -> model.predict(1f, 2f, 3f));
        assertEquals("Iris.predict: expected 4 values for measurements [4], got 3", wrongWidth.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> model.predict(1f, 2f, Float.NaN, 3f));
        assertEquals("Iris.predict: measurements[2] is NaN; expected a finite number", nan.getMessage());
        var inBatch = assertThrows(IllegalArgumentException.class, () -> model.predict(new float[][]{{1, 2, 3, 4}, {1}}));
        assertTrue(inBatch.getMessage().startsWith("Iris.predict: row 1: expected 4 values"), inBatch.getMessage());
    }

    @Test
    void badWeightsNameTheFileAndWhatDidNotMatch() throws Throwable {
        var other = assertThrows(ModelLoadException.class, () -> load(iris, sineWeights));
        assertEquals(sineWeights + ": these weights are for model Sine, not Iris", other.getMessage());

        Path truncated = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(irisWeights);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
        var cut = assertThrows(ModelLoadException.class, () -> load(iris, truncated));
        assertTrue(cut.getMessage().startsWith(truncated + ": not a valid weights file"), cut.getMessage());

        var missing = assertThrows(ModelLoadException.class, () -> load(iris, dir.resolve("nowhere.safetensors")));
        assertTrue(missing.getMessage().contains("nowhere.safetensors: no such weights file"), missing.getMessage());

        Class<?> unbundled = compiledClass("examples/iris/iris.nn", "org.example.plain", null, "org.example.plain.Iris");
        var none = assertThrows(ModelLoadException.class, () -> load(unbundled));
        assertTrue(none.getMessage().startsWith("no weights bundled with org.example.plain.Iris: the class path has no "
                + "org/example/plain/Iris.safetensors"), none.getMessage());
    }

    @Test
    void compileRefusesWeightsOfAnotherModelAndBadPackages() {
        Cli wrong = Cli.run("compile", "examples/iris/iris.nn", "--weights", sineWeights.toString(), "-o", dir.resolve("x.jar").toString());
        assertEquals(1, wrong.status());
        assertTrue(wrong.err().contains("these weights are for model Sine, not Iris"), wrong.err());
        Cli badPackage = Cli.run("compile", "examples/iris/iris.nn", "--package", "com.1bad", "-o", dir.resolve("y.jar").toString());
        assertEquals(2, badPackage.status());
        assertTrue(badPackage.err().contains("'com.1bad' is not a Java package name"), badPackage.err());
        assertFalse(wrong.hasStackTrace() || badPackage.hasStackTrace());
    }
}
