package dev.nnc.tests;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A process killed while it writes weights leaves a loadable file: the previous one or
 * the new one, never a torn one (the writer renames a finished temporary file).
 */
class CrashWhileWritingTest {
    @TempDir
    Path dir;

    static final String MODEL = """
            model Big {
                input  x: [512]
                target y: class[10]
                output p = x -> dense(512) -> relu -> dense(10) -> softmax
                loss      cross_entropy(p, y)
                optimizer sgd(lr = 0.1)
            }
            """;

    /** The child process: writes the weights over and over, each time with a new value, until killed. */
    public static void main(String[] args) throws Exception {
        ModelClass model = Models.compile(MODEL);
        Network net = model.create(1);
        Preprocessor none = new Preprocessor("none", new float[512], new float[512]);
        Path file = Path.of(args[0]);
        for (int i = 0; ; i++) {
            for (float[] p : net.parameters()) Arrays.fill(p, i);
            WeightsFile.save(file, model.spec(), net, none);
            if (i == 0) System.out.println("first written");
        }
    }

    @Test
    void killedWritersLeaveLoadableWeights() throws Exception {
        Path file = dir.resolve("weights.safetensors");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int attempt = 0; attempt < 5; attempt++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashWhileWritingTest.class.getName(), file.toString()).redirectErrorStream(true).start();
            // other lines may come first (the scalar-path notice of a JVM without the Vector API)
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("first written"));
            assertEquals("first written", line, "the child wrote its first file");
            Thread.sleep(50 + 37L * attempt);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));

            ModelClass model = Models.compile(MODEL);
            Network net = model.create(1);
            WeightsFile.load(file, model.spec(), net);
            float first = net.parameters()[0][0];
            for (float[] p : net.parameters()) {
                for (float v : p) assertEquals(first, v, "every value from the same write");
            }
        }
        assertTrue(Files.exists(file));
    }
}
