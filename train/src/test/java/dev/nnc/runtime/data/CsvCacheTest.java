package dev.nnc.runtime.data;

import dev.nnc.runtime.spec.DataSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.weights.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A parsed CSV file's cache is read back when it matches the file and the model, and rebuilt when it does not; its rows
 * read on the heap and mapped where they lie agree.
 */
class CsvCacheTest {
    @TempDir
    Path dir;

    private static ModelSpec spec(List<String> classes) {
        return new ModelSpec("M", "x", List.of(2), ModelSpec.Preprocessing.NONE, "kind", ModelSpec.TargetKind.CLASS,
                List.of(1), classes, classes.size(), "cross_entropy", "sgd", 0.1, List.of(),
                new TrainSpec(1, 1, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 1, 1),
                new DataSpec(null, null), "hash", "training");
    }

    private static Dataset read(Path file, List<String> classes) {
        return new CsvReader(spec(classes), "kind").read(file, LoadProgress.NONE, 64, 0);
    }

    /** The file's rows read where they lie, in the cache mapped into memory. */
    private static Dataset mapped(Path file, List<String> classes) {
        System.setProperty("nnc.data.mapped", "true");
        try {
            return read(file, classes);
        } finally {
            System.clearProperty("nnc.data.mapped");
        }
    }

    private Path csv() throws IOException {
        StringBuilder text = new StringBuilder("a,b,kind\n");
        for (int r = 0; r < 8000; r++) { // beyond the 64 KB the cache's key reads
            text.append(r).append(",0.5,").append(r % 2 == 0 ? "cat" : "dog").append('\n');
        }
        return Files.writeString(dir.resolve("data.csv"), text);
    }

    @Test
    void theCacheIsReadWhileItMatchesTheFileAndRebuiltWhenTheFileChanges() throws IOException {
        Path file = csv();
        List<String> classes = List.of("cat", "dog");
        Dataset parsed = read(file, classes);
        Path cache = dir.resolve(".data.csv.nnc-cache");
        assertTrue(Files.exists(cache));

        // the same size, time and first 64 KB, another value further on: the cache answers, so it was read
        FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, Files.readString(file).replace("\n7999,0.5,", "\n9770,0.5,"));
        Files.setLastModifiedTime(file, time);
        assertArrayEquals(parsed.x(), read(file, classes).x());

        Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 2000));
        Dataset fresh = read(file, classes);
        assertEquals(9770, fresh.x()[2 * 7999]);
        assertEquals(9770, read(file, classes).x()[2 * 7999], "and the rebuilt cache holds the new value");

        Dataset otherModel = read(file, List.of("dog", "cat"));
        assertEquals(1, otherModel.y()[0], "a model with other classes does not read the cache of this one");
    }

    @Test
    void touchingARowReadsItsFirstAndLastInputsAndItsTargetOnTheHeapAndMapped() throws IOException {
        Path file = csv();
        List<String> classes = List.of("cat", "dog");
        Dataset heap = read(file, classes);
        Dataset mapped = mapped(file, classes);
        assertThrows(RuntimeException.class, mapped::x, "the rows are read where they lie, mapped");
        for (int row : new int[]{0, 1, 4321, 7999}) {
            float sum = heap.x()[2 * row] + heap.x()[2 * row + 1] + heap.y()[row];
            assertEquals(sum, heap.touch(row), "row " + row);
            assertEquals(sum, mapped.touch(row), "row " + row + ", mapped");
        }
    }

    @Test
    void scalingInPlaceGivesTheBitsOfAScaledCopyAndLeavesMappedRowsAsTheyAre() throws IOException {
        Path file = csv();
        List<String> classes = List.of("cat", "dog");
        Preprocessor scaling = new Preprocessor("standard", new float[]{3999.5f, 0.25f}, new float[]{1 / 2309.5f, 3f});
        Dataset copy = read(file, classes).scaled(scaling);
        Dataset heap = read(file, classes);
        assertSame(heap, heap.scaledInPlace(scaling));
        assertArrayEquals(copy.x(), heap.x());
        assertArrayEquals(copy.y(), heap.y());

        Dataset mapped = mapped(file, classes);
        Dataset scaled = mapped.scaledInPlace(scaling);
        float[] x = new float[2];
        float[] y = new float[1];
        for (int row : new int[]{0, 1, 4321, 7999}) {
            scaled.copyRow(row, x, 0, y, 0);
            assertArrayEquals(new float[]{copy.x()[2 * row], copy.x()[2 * row + 1]}, x, "row " + row);
            mapped.copyRow(row, x, 0, y, 0);
            assertArrayEquals(new float[]{row, 0.5f}, x, "row " + row + " of the file, as it was");
        }
    }

    @Test
    void aDamagedCacheIsRebuiltNeverTrusted() throws IOException {
        Path file = csv();
        List<String> classes = List.of("cat", "dog");
        Dataset parsed = read(file, classes);
        Path cache = dir.resolve(".data.csv.nnc-cache");
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length - 9] ^= 0x40;
        Files.write(cache, bytes);
        assertArrayEquals(parsed.x(), read(file, classes).x());
        assertArrayEquals(parsed.y(), read(file, classes).y());
        assertFalse(java.util.Arrays.equals(bytes, Files.readAllBytes(cache)), "rewritten");

        Files.write(cache, java.util.Arrays.copyOf(bytes, 100));
        assertArrayEquals(parsed.x(), read(file, classes).x(), "a truncated cache is parsed around");
    }
}
