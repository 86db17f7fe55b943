package dev.nnc.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.*;

/** A compiled jar trains its model with `java -jar` alone, in another folder. */
class JarTest {
    @TempDir
    Path dir;

    @Test
    void compiledJarTrainsOnItsOwn() throws Exception {
        Path jar = dir.resolve("Iris.jar");
        Cli compiled = Cli.run("compile", "examples/iris/iris.nn", "-o", jar.toString());
        assertEquals(0, compiled.status(), compiled.err());
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("dev.nnc.runtime.cli.ModelMain", j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(j.getEntry("nnc/models/Iris.class"));
        }
        Path work = Files.createDirectories(dir.resolve("elsewhere"));
        Files.copy(Path.of("examples/iris/iris.csv"), work.resolve("iris.csv"));
        Process p = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "train", "--train", "iris.csv",
                "--out", "out", "--quiet")
                .directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        String metrics = Files.readString(work.resolve("out/metrics.json"));
        assertTrue(metrics.contains("\"test_accuracy\""), metrics);
        assertTrue(Files.size(work.resolve("out/weights.safetensors")) > 8);

        // the run ended: resuming it rewrites the same results from its last checkpoint
        byte[] weights = Files.readAllBytes(work.resolve("out/weights.safetensors"));
        Process resumed = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "train", "--train", "iris.csv",
                "--resume", "out", "--threads", "1").directory(work.toFile()).redirectErrorStream(true).start();
        String resumedOutput = new String(resumed.getInputStream().readAllBytes());
        assertTrue(resumed.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, resumed.exitValue(), resumedOutput);
        assertTrue(resumedOutput.contains("resuming from out/checkpoint.safetensors: its run had ended"), resumedOutput);
        assertArrayEquals(weights, Files.readAllBytes(work.resolve("out/weights.safetensors")));

        List<String> rows = Files.readAllLines(work.resolve("iris.csv"));
        Files.write(work.resolve("flowers.csv"), List.of(rows.get(0), rows.get(1), rows.get(149)));
        Process predict = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "predict", "--weights",
                "out/weights.safetensors", "--input", "flowers.csv", "--output", "predictions.csv")
                .directory(work.toFile()).redirectErrorStream(true).start();
        String said = new String(predict.getInputStream().readAllBytes());
        assertTrue(predict.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, predict.exitValue(), said);
        List<String> predicted = Files.readAllLines(work.resolve("predictions.csv"));
        assertEquals("species,p_setosa,p_versicolor,p_virginica", predicted.get(0));
        assertTrue(predicted.get(1).startsWith("setosa,"), predicted.toString());
        assertTrue(predicted.get(2).startsWith("virginica,"), predicted.toString());

        Process eval = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "eval", "--weights",
                "out/weights.safetensors", "--test", "iris.csv").directory(work.toFile()).redirectErrorStream(true).start();
        String evaluated = new String(eval.getInputStream().readAllBytes());
        assertTrue(eval.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, eval.exitValue(), evaluated);
        assertTrue(evaluated.contains("Iris on 150 samples: loss"), evaluated);

        Process export = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "export", "--weights",
                "out/weights.safetensors", "-o", "iris.onnx").directory(work.toFile()).redirectErrorStream(true).start();
        String exported = new String(export.getInputStream().readAllBytes());
        assertTrue(export.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, export.exitValue(), exported);
        Path nncExport = dir.resolve("iris.onnx");
        assertEquals(0, Cli.run("export", "examples/iris/iris.nn", "--weights", work.resolve("out/weights.safetensors").toString(),
                "-o", nncExport.toString()).status());
        assertArrayEquals(Files.readAllBytes(nncExport), Files.readAllBytes(work.resolve("iris.onnx")), "the jar exports what nnc does");
    }

    @Test
    void aJarReportsBadDataWithoutAStackTrace() throws Exception {
        Path jar = dir.resolve("Xor.jar");
        assertEquals(0, Cli.run("compile", "examples/xor/xor.nn", "-o", jar.toString()).status());
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, List.of("a,b,y", "0,1,1", "1,zero,1"));
        Process p = new ProcessBuilder(javaCommand(), "-jar", jar.toString(), "train", "--train", bad.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains(bad + ":3: error: column 'b': expected a number, found 'zero'"), output);
        assertFalse(output.contains("\tat "), output);
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
