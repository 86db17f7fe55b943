package dev.nnc.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.*;

/** Programs that are merely large or deep: they work, or end in a diagnostic; never an internal error or a trace. */
class ExtremesTest {
    @TempDir
    Path dir;

    Path program(String output) throws Exception {
        return Files.writeString(dir.resolve("extreme.nn"), """
                model Extreme {
                    input  x: [4] normalize(standard)
                    target species: class["setosa", "versicolor", "virginica"]
                    output p = %s
                    loss      cross_entropy(p, species)
                    optimizer adam(lr = 0.001)
                }
                """.formatted(output));
    }

    static void noCrash(Cli run) {
        assertFalse(run.hasStackTrace(), run.err());
        assertFalse((run.out() + run.err()).contains("internal error"), run.err());
        assertTrue(run.status() == 0 || run.status() == 1, "exit " + run.status());
    }

    @Test
    void deepNestingChecks() throws Exception {
        Path file = program("x -> dense(" + "(".repeat(5000) + "3" + ")".repeat(5000) + ") -> softmax");
        Cli run = Cli.run("check", file.toString());
        noCrash(run);
        assertEquals(0, run.status(), run.err());
    }

    /** 6,001 layers: more fields and methods than one class file holds, so the split layout, over several. */
    @Test
    void aPipelineOfThreeThousandStagesChecksCompilesAndTrains() throws Exception {
        Path file = program("x -> " + String.join(" -> ", Collections.nCopies(3000, "dense(4) -> tanh")) + " -> dense(3) -> softmax");
        Cli check = Cli.run("check", file.toString());
        noCrash(check);
        assertEquals(0, check.status(), check.err());
        Path out = dir.resolve("run");
        Cli train = Cli.run("train", file.toString(), "--train", "examples/iris/iris.csv", "--epochs", "2", "--out", out.toString());
        noCrash(train);
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("epoch 2/2"), train.out());
        assertTrue(Files.size(out.resolve("weights.safetensors")) > 3000 * 20 * 4, "6,002 tensors of weights");
    }

    @Test
    void aModelBeyondTheHeapIsADiagnosticAtItsLargestLayer() throws Exception {
        Path file = program("x -> dense(2000) -> relu -> dense(3000) -> relu -> dense(3) -> softmax");
        String previous = System.getProperty("nnc.maxHeap");
        System.setProperty("nnc.maxHeap", String.valueOf(64L << 20));
        try {
            Cli run = Cli.run("check", file.toString());
            noCrash(run);
            assertEquals(1, run.status());
            assertTrue(run.err().contains(":4:16: error: training this model needs about"), run.err());
            assertTrue(run.err().contains("more than this JVM may use (64 MB)"), run.err());
        } finally {
            if (previous == null) System.clearProperty("nnc.maxHeap");
            else System.setProperty("nnc.maxHeap", previous);
        }
        assertEquals(0, Cli.run("check", file.toString()).status());
    }
}
