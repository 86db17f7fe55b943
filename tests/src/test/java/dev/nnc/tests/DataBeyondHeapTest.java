package dev.nnc.tests;

import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Data that does not fit the heap is parsed into its cache file and trained on where it
 * lies, mapped into memory, with the weights a run on the heap gives: the splits are
 * views through an index, the scaling is applied as rows are copied out.
 */
class DataBeyondHeapTest {
    static final String MODEL = """
            model Table {
                input  x: [20] normalize(standard)
                target label: class[3]
                output p = x -> dense(16) -> relu -> dense(3) -> softmax
                loss      cross_entropy(p, label)
                optimizer adam(lr = 0.003)
                train {
                    epochs     1
                    batch      128
                    validation 10%
                    seed       4
                }
                data {
                    train csv("table.csv", target = "label")
                    test  split(0.1)
                }
            }
            """;

    @TempDir
    Path dir;

    private Path table(int rows) throws IOException {
        Files.writeString(dir.resolve("table.nn"), MODEL);
        Path csv = dir.resolve("table.csv");
        Rng rng = new Rng(2);
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < 20; j++) line.append('f').append(j).append(',');
            out.write(line.append("label\n").toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                double sum = 0;
                for (int j = 0; j < 20; j++) {
                    float v = (float) (10 + 3 * rng.nextGaussian());
                    sum += (v - 10) * (j % 5 - 2);
                    line.append(v).append(',');
                }
                out.write(line.append(sum < -3 ? 0 : sum < 3 ? 1 : 2).append('\n').toString());
            }
        }
        return csv;
    }

    private byte[] trainOnTheHeap(String out) throws IOException {
        Cli heap = Cli.run("train", dir.resolve("table.nn").toString(), "--out", dir.resolve(out).toString(), "--quiet");
        assertEquals(0, heap.status(), heap.err());
        return Files.readAllBytes(dir.resolve(out).resolve("weights.safetensors"));
    }

    @Test
    void mappedRowsTrainToTheWeightsOfRowsOnTheHeap() throws IOException {
        table(3000);
        byte[] expected = trainOnTheHeap("heap");
        assertFalse(Files.exists(dir.resolve(".table.csv.nnc-cache")), "a small file is not cached");
        System.setProperty("nnc.data.mapped", "true");
        try {
            for (String run : List.of("parsed-into-the-cache", "read-from-the-cache")) {
                Cli mapped = Cli.run("train", dir.resolve("table.nn").toString(), "--out", dir.resolve(run).toString(), "--quiet");
                assertEquals(0, mapped.status(), mapped.err());
                assertTrue(Files.exists(dir.resolve(".table.csv.nnc-cache")));
                assertArrayEquals(expected, Files.readAllBytes(dir.resolve(run).resolve("weights.safetensors")), run);
            }
        } finally {
            System.clearProperty("nnc.data.mapped");
        }
    }

    @Test
    void dataTwiceTheHeapTrainsInAJvmOf24Megabytes() throws Exception {
        Path csv = table(600_000); // 50 MB of floats
        byte[] expected = trainOnTheHeap("heap");
        Files.deleteIfExists(dir.resolve(".table.csv.nnc-cache"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx24m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "dev.nnc.compiler.cli.Nnc", "train",
                dir.resolve("table.nn").toString(), "--out", dir.resolve("small").toString(), "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("small").resolve("weights.safetensors")));
        assertTrue(Files.size(dir.resolve(".table.csv.nnc-cache")) > 2 * (24 << 20), "the data was larger than the heap");
        Files.delete(csv);
    }
}
