package dev.nnc.runtime.data;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.DataSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The parallel parser reads what the line-by-line parser reads, value for value and
 * error for error, wherever the chunks are cut (here every few hundred bytes, so that
 * small files cross many chunk boundaries and threads).
 */
class ParallelCsvParserTest {
    @TempDir
    Path dir;

    /** Three inputs; the target, in the middle, one of three classes (one not ASCII). */
    private static final ModelSpec SPEC = new ModelSpec("M", "x", List.of(3), ModelSpec.Preprocessing.NONE, "kind",
            ModelSpec.TargetKind.CLASS, List.of(1), List.of("cat", "dog", "Äffchen"), 3, "cross_entropy", "sgd", 0.1,
            List.of(), new TrainSpec(1, 1, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 1, 1),
            new DataSpec(null, null), "hash", "training");

    private static final String[] CLASSES = {"cat", "dog", "Äffchen", "1", " dog "};

    /** A number in one of the ways people and programs write them. */
    private static String number(Rng rng) {
        double v = (rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(14) - 7);
        return switch (rng.nextInt(9)) {
            case 0 -> Float.toString((float) v);
            case 1 -> String.format(Locale.ROOT, "%.6f", v);
            case 2 -> String.format(Locale.ROOT, "%.9g", v);
            case 3 -> String.format(Locale.ROOT, "%e", v);
            case 4 -> Integer.toString(rng.nextInt(100000) - 50000);
            case 5 -> rng.nextInt(2) == 0 ? "-0" : "+3.";
            case 6 -> " " + String.format(Locale.ROOT, "%.3f", v) + "\t";
            case 7 -> String.format(Locale.ROOT, ".%d", rng.nextInt(1000));
            default -> String.format(Locale.ROOT, "%.17g", v);
        };
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static CsvReader reader() {
        return new CsvReader(SPEC, "kind");
    }

    @Test
    void readsValueForValueWhatTheLineByLineParserReads() throws IOException {
        Rng rng = new Rng(7);
        StringBuilder csv = new StringBuilder("\n a,b ,kind,c\r\n");
        for (int r = 0; r < 3000; r++) {
            if (rng.nextInt(50) == 0) csv.append(rng.nextInt(2) == 0 ? "\n" : "  \r\n");
            String third = rng.nextInt(40) == 0 ? "\"" + number(rng) + "\"" : number(rng);
            csv.append(number(rng)).append(',').append(number(rng)).append(',')
                    .append(CLASSES[rng.nextInt(CLASSES.length)]).append(',').append(third)
                    .append(rng.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        csv.append("1,2,cat,3"); // no newline at the end
        Path file = write(csv.toString());
        Dataset lineByLine = reader().readInputs(file);
        for (int chunk : new int[]{64, 301, 4096, CsvChunks.SIZE}) {
            Dataset parallel = reader().read(file, LoadProgress.NONE, chunk, Long.MAX_VALUE);
            assertEquals(lineByLine.rows(), parallel.rows());
            assertArrayEquals(lineByLine.x(), parallel.x(), "chunks of " + chunk + " bytes");
            assertArrayEquals(lineByLine.y(), parallel.y(), "chunks of " + chunk + " bytes");
        }
        assertEquals(3001, lineByLine.rows());
    }

    @Test
    void anErrorInAChunkOfAnotherThreadNamesItsLineAndColumn() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,kind,c\n");
        for (int r = 2; r <= 2000; r++) {
            String b = r == 1500 ? "1.5x" : Integer.toString(r);
            String c = r == 1800 ? "zero" : "0.25";
            csv.append("0.5,").append(b).append(",dog,").append(c).append('\n');
            if (r == 1900) csv.append("1,2,cat\n");
        }
        Path file = write(csv.toString());
        UserError parallel = assertThrows(UserError.class, () -> reader().read(file, LoadProgress.NONE, 256, Long.MAX_VALUE));
        assertEquals(file + ":1500: error: column 'b': expected a number, found '1.5x'", parallel.getMessage());
        assertEquals(parallel.getMessage(), assertThrows(UserError.class, () -> reader().readInputs(file)).getMessage());

        Files.writeString(file, Files.readString(file).replace("1.5x", "1500").replace("zero", "0.25"));
        UserError fields = assertThrows(UserError.class, () -> reader().read(file, LoadProgress.NONE, 256, Long.MAX_VALUE));
        assertEquals(file + ":1901: error: expected 4 fields, found 3", fields.getMessage());

        Files.writeString(file, "a,b,kind,c\n1,2,cat,3\n1,2,bird,3\n");
        assertEquals(file + ":3: error: column 'kind': unknown class 'bird'; expected one of cat, dog, Äffchen (or 0..2)",
                assertThrows(UserError.class, () -> reader().read(file, LoadProgress.NONE, 8, Long.MAX_VALUE)).getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorWithTheirLine() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, "a,b,kind,c\n1,2,cat,3\n1,2,\u00c4ffchen,3\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(file + ":3: error: not UTF-8 text",
                assertThrows(UserError.class, () -> reader().read(file, LoadProgress.NONE, 8, Long.MAX_VALUE)).getMessage());
    }

    @Test
    void dataThatCannotFitIsSaidBeforeItIsRead() {
        UserError array = assertThrows(UserError.class, () -> MemoryCheck.floats("big.csv", 100_000_000, 100, 1));
        assertTrue(array.getMessage().startsWith("big.csv: error: its 100,000,000 rows of 100 values are 10,000,000,000 numbers"),
                array.getMessage());
        long rows = Runtime.getRuntime().maxMemory() / 4 / 10;
        UserError heap = assertThrows(UserError.class, () -> MemoryCheck.floats("big.csv", rows, 10, 1));
        assertTrue(heap.getMessage().contains("MB of memory, and the JVM has"), heap.getMessage());
        assertTrue(heap.getMessage().contains("NNC_JAVA_OPTS=-Xmx"), heap.getMessage());
    }
}
