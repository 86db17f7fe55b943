package dev.nnc.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Exit statuses and messages of the command line: 0 success, 1 the user's error, 2 usage. */
class CliTest {
    @TempDir
    Path dir;

    @Test
    void checkAcceptsSeveralFiles() {
        Cli r = Cli.run("check", "examples/xor/xor.nn", "examples/iris/iris.nn");
        assertEquals(0, r.status());
        assertEquals(2, r.out().lines().filter(l -> l.endsWith(": ok")).count());
    }

    @Test
    void checkFailsWhenAnyFileHasErrors() {
        Cli r = Cli.run("check", "examples/xor/xor.nn", "examples/bad_shapes.nn");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("bad_shapes.nn:12:22: error: cannot add [128] and [64]"), r.err());
    }

    @Test
    void warningsArePrintedBeforeTrainingAndFailOnlyWithWerror() {
        String file = "tests/golden/warning_cross_entropy_after_sigmoid.nn";
        Cli check = Cli.run("check", file);
        assertEquals(0, check.status());
        assertTrue(check.err().contains(file + ":8:15: warning: cross_entropy compares probabilities"), check.err());
        assertEquals(1, Cli.run("check", "--werror", file).status());

        Cli strict = Cli.run("train", file, "--werror", "--train", "examples/iris/iris.csv", "--epochs", "1", "--quiet");
        assertEquals(1, strict.status());
        assertTrue(strict.err().contains(": warning: "), strict.err());
        assertFalse(strict.hasStackTrace());
        Cli train = Cli.run("train", file, "--train", "examples/iris/iris.csv", "--epochs", "1", "--quiet");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.err().contains(": warning: "), train.err());
    }

    @Test
    void rawInputsFarFromTheUnitRangeGetAHint(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("raw.nn"), """
                model Raw {
                    input  image: [784]
                    target kind: class[10]
                    output scores = image -> dense(8) -> relu -> dense(10) -> softmax
                    loss      cross_entropy(scores, kind)
                    optimizer adam(lr = 0.001)
                    train { epochs 1 }
                }
                """);
        Cli raw = Cli.run("train", model.toString(), "--train",
                "tests/data/fashion-1000-test-images.gz,tests/data/fashion-1000-test-labels.gz");
        assertEquals(0, raw.status(), raw.err());
        assertTrue(raw.out().startsWith("hint: the input 'image' has no preprocessing"), raw.out());
        assertTrue(raw.out().contains("write 'input image: [784] scale(1/255)'"), raw.out());
        Cli scaled = Cli.run("train", "tests/data/fashion_small.nn", "--epochs", "1");
        assertFalse(scaled.out().contains("hint:"), scaled.out());
    }

    @Test
    void aMissingFileIsAnErrorNotACrash() {
        Cli r = Cli.run("check", "no/such/file.nn");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no/such/file.nn: error: no such file"), r.err());
        assertFalse(r.hasStackTrace());
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorThatSaysSo() throws IOException {
        Path file = Files.write(dir.resolve("latin1.nn"), new byte[]{'m', 'o', 'd', 'e', 'l', ' ', (byte) 0xE9});
        Cli r = Cli.run("check", file.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(file + ": error: cannot read: not UTF-8 text; save the file as UTF-8"), r.err());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, Cli.run("train", "examples/xor/xor.nn", "--epocs", "3").status());
        assertEquals(2, Cli.run("frobnicate").status());
    }

    @Test
    void badTrainingDataNamesFileLineAndColumn() throws IOException {
        Path csv = dir.resolve("iris.csv");
        List<String> rows = Files.readAllLines(Path.of("examples/iris/iris.csv"));
        String header = rows.get(0);
        assertEquals(1, errorFor(csv, header, rows.get(1), "1.0,2.0,3.0").status());
        assertTrue(errorFor(csv, header, rows.get(1), "1.0,2.0,3.0").err()
                .contains(csv + ":3: error: expected 5 fields, found 3"));
        assertTrue(errorFor(csv, header, rows.get(1), rows.get(1).replace("setosa", "rose")).err()
                .contains(csv + ":3: error: column 'species': unknown class 'rose'"));
        assertTrue(errorFor(csv, header, rows.get(1), rows.get(1).replaceFirst("^[^,]+", "NaN")).err()
                .contains(csv + ":3: error: column '" + header.split(",")[0] + "': expected a finite number, found 'NaN'"));
        Files.writeString(csv, "");
        Cli empty = Cli.run("train", "examples/iris/iris.nn", "--train", csv.toString());
        assertEquals(1, empty.status());
        assertTrue(empty.err().contains("the file is empty"), empty.err());
    }

    private static Cli errorFor(Path csv, String... lines) throws IOException {
        Files.write(csv, List.of(lines));
        Cli r = Cli.run("train", "examples/iris/iris.nn", "--train", csv.toString());
        assertFalse(r.hasStackTrace(), r.err());
        return r;
    }

    @Test
    void aPackageOfTheJdkIsAUsageError() {
        for (String jdk : List.of("java.util", "java.mine", "javax.swing")) {
            Cli r = Cli.run("compile", "examples/sine/sine.nn", "--package", jdk, "-o", dir.resolve("Sine.jar").toString());
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains("--package: " + jdk + " belongs to the JDK"), r.err());
        }
    }

    @Test
    void compileWritesAJarNamedAfterTheModel() {
        Path jar = dir.resolve("Sine.jar");
        Cli r = Cli.run("compile", "examples/sine/sine.nn", "-o", jar.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(jar));
    }

    @Test
    void anOutputThatCannotBeWrittenIsAnErrorNotACrash() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "the user's notes");
        Cli folder = Cli.run("compile", "examples/sine/sine.nn", "-o", dir.toString());
        assertEquals(1, folder.status(), folder.err());
        assertTrue(folder.err().contains(dir + ": error: cannot write: it is a folder"), folder.err());

        Cli underAFile = Cli.run("compile", "examples/sine/sine.nn", "-o", file.resolve("Sine.jar").toString());
        assertEquals(1, underAFile.status(), underAFile.err());
        assertTrue(underAFile.err().contains(file.resolve("Sine.jar") + ": error: cannot write: " + file + " is a file, not a folder"),
                underAFile.err());
        assertEquals("the user's notes", Files.readString(file));
        assertFalse(folder.hasStackTrace() || underAFile.hasStackTrace());
    }

    @Test
    void trainingIntoAFileFailsBeforeItTrains() throws IOException {
        Path file = Files.writeString(dir.resolve("results"), "not a folder");
        Cli r = Cli.run("train", "examples/iris/iris.nn", "--epochs", "1", "--out", file.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains(file + ": error: --out names a file, not a folder"), r.err());
        assertFalse(r.out().contains("epoch 1/"), r.out());
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void splitsThatRoundToNoRowAreSaidNotShownAsNaN() throws IOException {
        List<String> iris = Files.readAllLines(Path.of("examples/iris/iris.csv"));
        Path csv = Files.write(dir.resolve("one.csv"), List.of(iris.get(0), iris.get(1)));
        Cli stopsOnValidation = Cli.run("train", "examples/iris/iris.nn", "--train", csv.toString(), "--epochs", "1");
        assertEquals(1, stopsOnValidation.status(), stopsOnValidation.err());
        assertTrue(stopsOnValidation.err().contains("error: the validation split (20% of 1 row) has no row, and the run stops on val_loss"),
                stopsOnValidation.err());

        Path model = Files.writeString(dir.resolve("plain.nn"), Files.readString(Path.of("examples/iris/iris.nn"))
                .replaceAll("(?m)^\\s*early_stop.*$", ""));
        Cli plain = Cli.run("train", model.toString(), "--train", csv.toString(), "--epochs", "1");
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.out().contains("note: the test split (20% of 1 row) has no row: no test figures"), plain.out());
        assertTrue(plain.out().contains("note: the validation split (20% of 1 row) has no row: no validation figures"), plain.out());
        assertFalse(plain.out().contains("NaN"), plain.out());
    }
}
