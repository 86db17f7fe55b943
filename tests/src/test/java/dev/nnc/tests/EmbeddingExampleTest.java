package dev.nnc.tests;

import dev.nnc.runtime.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.*;

/**
 * examples/embedding, as the reactor built it with nnc-maven-plugin: its Main runs in a
 * JVM whose class path holds only the example and nnc-runtime, and answers what
 * {@code nnc predict} answers; jdeps finds nothing else behind it.
 */
class EmbeddingExampleTest {
    static final Path MODEL = Path.of("examples/embedding/src/main/nn/com/example/flowers/iris.nn");
    static final Path WEIGHTS = Path.of("examples/embedding/src/main/nn/com/example/flowers/iris.safetensors");
    static final String[] FLOWERS = {"5.1,3.5,1.4,0.2", "6.7,3.0,5.2,2.3", "5.9,3.0,4.2,1.5", "6.3,2.8,5.1,1.5"};

    @TempDir
    Path dir;

    static Path location(String className) throws Exception {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** What the example's Main prints, and what it says on standard error, in a JVM of its own. */
    record Run(List<String> out, List<String> err) {}

    static Run runExample(boolean vectorApi) throws Exception {
        Path example = location("com.example.flowers.Main");
        Path runtime = location(Network.class.getName());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vectorApi) command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of("-cp", example + File.pathSeparator + runtime, "com.example.flowers.Main"));
        command.addAll(List.of(FLOWERS));
        Process process = new ProcessBuilder(command).start();
        List<String> out = new String(process.getInputStream().readAllBytes()).lines().toList();
        List<String> err = new String(process.getErrorStream().readAllBytes()).lines().toList();
        assertEquals(0, process.waitFor(), String.join("\n", err));
        return new Run(out, err);
    }

    @Test
    void withoutTheVectorApiTheScalarKernelsAnswerTheSameAfterOneWarning() throws Exception {
        Run scalar = runExample(false);
        assertEquals(runExample(true).out(), scalar.out());
        assertEquals(1, scalar.err().size(), scalar.err().toString());
        assertTrue(scalar.err().get(0).contains("--add-modules jdk.incubator.vector"), scalar.err().toString());
    }

    @Test
    void classifiesAsNncPredictDoes() throws Exception {
        List<String> answers = runExample(true).out();

        Path csv = dir.resolve("flowers.csv");
        Files.writeString(csv, "sepal_length,sepal_width,petal_length,petal_width\n" + String.join("\n", FLOWERS) + "\n");
        Cli predicted = Cli.run("predict", MODEL.toString(), "--weights", WEIGHTS.toString(), "--input", csv.toString());
        assertEquals(0, predicted.status(), predicted.err());
        List<String> rows = predicted.out().lines().skip(1).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < FLOWERS.length; i++) {
            String[] fields = rows.get(i).split(",");
            float best = 0;
            for (int j = 1; j < fields.length; j++) best = Math.max(best, Float.parseFloat(fields[j]));
            expected.add(String.format(Locale.ROOT, "%s: %s (%.3f)", FLOWERS[i], fields[0], best));
        }
        assertEquals(expected, answers);
    }

    @Test
    void dependsOnNothingButTheJdkAndNncRuntime() throws Exception {
        Path runtime = location(Network.class.getName());
        String deps = jdeps("-summary", "-cp", runtime.toString(), location("com.example.flowers.Main").toString());
        for (String line : deps.lines().toList()) {
            String target = line.substring(line.indexOf("->") + 2).strip();
            assertTrue(target.startsWith("java.") || target.startsWith("jdk.") || target.endsWith(runtime.getFileName().toString()),
                    "the example depends on " + target + ":\n" + deps);
        }
        assertTrue(deps.contains(runtime.getFileName().toString()), deps);
        for (String line : jdeps("-summary", runtime.toString()).lines().toList()) {
            assertTrue(line.strip().endsWith("-> java.base") || line.strip().endsWith("-> jdk.incubator.vector"),
                    "nnc-runtime depends on more than the JDK: " + line);
        }
        if (Files.isRegularFile(runtime)) assertTrue(Files.size(runtime) < 200_000, runtime + ": " + Files.size(runtime) + " bytes");
    }

    static String jdeps(String... args) {
        StringWriter out = new StringWriter();
        int status = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out), args);
        assertEquals(0, status, out.toString());
        return out.toString();
    }
}
