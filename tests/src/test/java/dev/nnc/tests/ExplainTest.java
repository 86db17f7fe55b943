package dev.nnc.tests;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.ModelSummary;
import dev.nnc.compiler.source.SourceFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** `nnc explain` describes every stage with the shapes and parameter counts `nnc summary` gives. */
class ExplainTest {

    @ParameterizedTest
    @ValueSource(strings = {"examples/iris/iris.nn", "examples/fashion/fashion.nn", "examples/residual/residual.nn",
            "examples/and_gate/and_gate.nn", "examples/sine/sine.nn", "examples/xor/xor.nn"})
    void agreesWithTheSummary(String file) throws Exception {
        Cli explained = Cli.run("explain", file);
        assertEquals(0, explained.status(), explained.err());
        String text = explained.out();
        List<ModelSummary.Row> rows = ModelSummary.rows(Frontend.check(SourceFile.read(Path.of(file))));
        long total = 0;
        for (ModelSummary.Row row : rows) {
            assertTrue(text.contains("  " + row.name() + " " + row.shape() + ": "), row + " in\n" + text);
            if (row.parameters() > 0) {
                assertTrue(text.contains(String.format(Locale.ROOT, "%,d parameters.", row.parameters())), row + " in\n" + text);
            }
            total += row.parameters();
        }
        assertTrue(text.contains(String.format(Locale.ROOT, "In all: %,d parameters", total)), text);
        for (String part : List.of("Loss: ", "Optimizer: ", "Training: ")) assertTrue(text.contains(part), text);
    }

    @org.junit.jupiter.api.Test
    void theSummaryGivesASmallModelsMemoryInKilobytes() {
        Cli summary = Cli.run("summary", "examples/iris/iris.nn");
        assertEquals(0, summary.status(), summary.err());
        assertTrue(summary.out().matches("(?s).*Memory to train: about [1-9][0-9]* KB .*"), summary.out());
    }
}
