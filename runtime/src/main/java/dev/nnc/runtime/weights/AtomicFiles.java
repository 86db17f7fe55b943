package dev.nnc.runtime.weights;

import dev.nnc.runtime.UserError;

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

    /**
     * The same for contents too large to hold in one array. Where the file cannot be
     * written (a folder by its name, a parent that is a file, no permission), a
     * {@link UserError} that names it and says why; an {@code IOException} only from
     * writing the contents or renaming the finished file.
     */
    public static void write(Path file, Contents contents) throws IOException {
        Path dir = folderFor(file);
        // not Files.createTempFile: its owner-only permissions would stay on the file, where the umask's belong
        Path temporary = dir.resolve("." + file.getFileName() + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        java.nio.channels.FileChannel channel;
        try {
            channel = java.nio.channels.FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        } catch (IOException e) {
            throw cannotWrite(file, "cannot create a file in " + dir + (e instanceof AccessDeniedException ? ": permission denied" : ""));
        }
        try {
            try (channel) {
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

    /** The folder {@code file} goes in, made if need be: a user error when there can be no such file there. */
    private static Path folderFor(Path file) {
        if (Files.isDirectory(file)) throw cannotWrite(file, "it is a folder; name the file to write");
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw cannotWrite(file, why(e));
        }
        return dir;
    }

    /** What a failed file operation tells a user, in words rather than an exception's name. */
    public static String why(IOException e) {
        if (e instanceof FileAlreadyExistsException f) return f.getFile() + " is a file, not a folder";
        if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        if (e instanceof NoSuchFileException n) return "no such file or folder: " + n.getFile();
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getFile() + ": " + f.getReason();
        return String.valueOf(e.getMessage());
    }

    private static UserError cannotWrite(Path file, String why) {
        return new UserError(file + ": error: cannot write: " + why);
    }

    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
