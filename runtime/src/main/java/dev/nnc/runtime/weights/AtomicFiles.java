package dev.nnc.runtime.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;

/**
 * Writes a file so that readers see the old contents or the new, never a mix: into
 * {@code .NAME<random>.tmp} beside it, then renamed over it. A writer killed before the
 * rename leaves only that temporary file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path file, byte[] contents) throws IOException {
        write(file, channel -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(contents);
            while (buffer.hasRemaining()) channel.write(buffer);
        });
    }

    /** What writes a file's contents, from its start. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(java.nio.channels.FileChannel channel) throws IOException;
    }

    /** The same for contents too large to hold in one array. */
    public static void write(Path file, Contents contents) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile: its owner-only permissions would stay on the file, where the umask's belong
        Path temporary = dir.resolve("." + file.getFileName() + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temporary,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                contents.writeTo(channel);
            }
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
