package dev.nnc.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/** IDX files: gzip or plain, and every malformation named with the file. */
class IdxDataTest {
    @TempDir
    Path dir;

    private static final String IMAGES = "tests/data/fashion-3000-images.gz";
    private static final String LABELS = "tests/data/fashion-3000-labels.gz";

    private Cli train(String images, String labels) {
        return Cli.run("train", "tests/data/fashion_small.nn", "--epochs", "1", "--quiet", "--train", images + "," + labels);
    }

    private static byte[] plain(String gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(Path.of(gz)))) {
            return in.readAllBytes();
        }
    }

    @Test
    void plainAndGzippedFilesReadAlike() throws IOException {
        Path images = Files.write(dir.resolve("images"), plain(IMAGES));
        Path labels = Files.write(dir.resolve("labels"), plain(LABELS));
        Cli r = train(images.toString(), labels.toString());
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void badMagicNumber() throws IOException {
        byte[] bytes = plain(IMAGES);
        bytes[0] = 0x12;
        Path images = Files.write(dir.resolve("images"), bytes);
        Cli r = train(images.toString(), LABELS);
        assertEquals(1, r.status());
        assertTrue(r.err().contains(images + ": error: bad magic number 0x12000803"), r.err());
    }

    @Test
    void truncatedData() throws IOException {
        byte[] bytes = plain(IMAGES);
        Path images = Files.write(dir.resolve("images"), java.util.Arrays.copyOf(bytes, 16 + 784 * 10 + 5));
        Cli r = train(images.toString(), LABELS);
        assertEquals(1, r.status());
        assertTrue(r.err().contains(images + ": error: truncated: the header promises 3000 records, the data ends in record 11"),
                r.err());
    }

    @Test
    void labelsOutOfRangeAndCountsThatDiffer() throws IOException {
        byte[] labels = plain(LABELS);
        labels[8 + 41] = 12;
        Path bad = Files.write(dir.resolve("labels"), labels);
        Cli r = train(IMAGES, bad.toString());
        assertTrue(r.err().contains(bad + ": error: record 42: label 12 is out of range for 10 classes"), r.err());

        Cli counts = train(IMAGES, "tests/data/fashion-1000-test-labels.gz");
        assertEquals(1, counts.status());
        assertTrue(counts.err().contains("1000 labels for 3000 images"), counts.err());
        assertFalse(counts.hasStackTrace());
    }
}
