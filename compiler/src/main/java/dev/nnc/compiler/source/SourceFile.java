package dev.nnc.compiler.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The text of one .nn file and the name diagnostics call it by. */
public record SourceFile(String displayName, Path path, String text) {

    public static SourceFile read(Path path) throws IOException {
        return new SourceFile(path.toString(), path, Files.readString(path, StandardCharsets.UTF_8));
    }

    public static SourceFile of(String displayName, String text) {
        return new SourceFile(displayName, Path.of(displayName), text);
    }

    /** The 1-based line, without its line terminator; empty past the end. */
    public String line(int number) {
        List<String> lines = text.lines().toList();
        return number >= 1 && number <= lines.size() ? lines.get(number - 1) : "";
    }

    /** The folder that relative paths in the file are resolved against. */
    public Path directory() {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
