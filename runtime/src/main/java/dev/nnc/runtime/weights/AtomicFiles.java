package dev.nnc.runtime.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;

/** Writes a file so that readers see the old contents or the new, never a mix. */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path file, byte[] contents) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(temporary, contents);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
