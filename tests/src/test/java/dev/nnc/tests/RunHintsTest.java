package dev.nnc.tests;

import dev.nnc.runtime.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The hints a run ends with, printed and kept in metrics.json; a sound run ends with none. */
class RunHintsTest {
    @TempDir
    Path dir;

    static final String WIDE = """
            model Overfit {
                input  measurements: [4] normalize(standard)
                target species: class["setosa", "versicolor", "virginica"]
                output probs = measurements -> dense(256) -> relu -> dense(256) -> relu -> dense(3) -> softmax
                loss      cross_entropy(probs, species)
                optimizer %s
                train {
                    epochs     150
                    batch      8
                    validation 50%%
                    seed       3
                }
            }
            """;

    List<?> hints(String program) throws Exception {
        Path model = Files.writeString(dir.resolve("model.nn"), program);
        Path out = dir.resolve("out");
        Cli run = Cli.run("train", model.toString(), "--train", "examples/iris/iris.csv", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        List<?> hints = (List<?>) Json.parseObject(Files.readString(out.resolve("metrics.json"))).get("hints");
        for (Object hint : hints) assertTrue(run.out().contains("hint: " + hint), run.out());
        return hints;
    }

    @Test
    void aLearningRateTooHighIsNamed() throws Exception {
        // 10, not 5: at 5 the run's course hangs on the last bits of its arithmetic (since the
        // narrow form of the first layer's product, it overfits and then diverges instead)
        String iris = Files.readString(Path.of("examples/iris/iris.nn"))
                .replace("optimizer sgd(lr = 0.05, momentum = 0.9)", "optimizer sgd(lr = 10)")
                .replace("train csv(\"iris.csv\"", "train csv(\"" + Path.of("examples/iris/iris.csv").toAbsolutePath() + "\"");
        List<?> hints = hints(iris);
        assertEquals(1, hints.size(), hints.toString());
        assertTrue(hints.get(0).toString().contains("the learning rate 10 is likely too high; try 1"), hints.toString());
    }

    @Test
    void overfittingIsNamedWithItsEpoch() throws Exception {
        List<?> hints = hints(WIDE.formatted("adam(lr = 0.01)"));
        assertTrue(hints.stream().anyMatch(h -> h.toString().matches("from epoch \\d+ the validation loss rose .* overfits .*")),
                hints.toString());
    }

    @Test
    void reluUnitsThatNeverFireAreCounted() throws Exception {
        List<?> hints = hints("""
                model Dead {
                    input  measurements: [4] normalize(standard)
                    target species: class["setosa", "versicolor", "virginica"]
                    output probs = measurements -> dense(64) -> relu -> dense(3) -> softmax
                    loss      cross_entropy(probs, species)
                    optimizer sgd(lr = 10)
                    train {
                        epochs 30
                        batch  16
                        seed   1
                    }
                }
                """);
        assertTrue(hints.stream().anyMatch(h -> h.toString().matches("\\d+ of the 64 units of relu 1 \\(\\d+%\\) never fire .*leaky_relu.*")),
                hints.toString());
    }

    @Test
    void anAccuracyAtChanceIsNamed() throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 90; i++) csv.append("0,0,").append("abc".charAt(i % 3)).append('\n');
        Path data = Files.writeString(dir.resolve("constant.csv"), csv);
        Path model = Files.writeString(dir.resolve("chance.nn"), """
                model Chance {
                    input  x: [2]
                    target label: class["a", "b", "c"]
                    output p = x -> dense(4) -> tanh -> dense(3) -> softmax
                    loss      cross_entropy(p, label)
                    optimizer sgd(lr = 0.1)
                    train { epochs 6 }
                }
                """);
        Cli run = Cli.run("train", model.toString(), "--train", data.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("hint: after 6 epochs the accuracy is still 0.3"), run.out());
    }

    @Test
    void aSoundRunEndsWithNone() throws Exception {
        String iris = Files.readString(Path.of("examples/iris/iris.nn"))
                .replace("train csv(\"iris.csv\"", "train csv(\"" + Path.of("examples/iris/iris.csv").toAbsolutePath() + "\"");
        assertEquals(List.of(), hints(iris));
    }
}
