package dev.nnc.compiler.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The text of one .nn file and the name diagnostics call it by. Where each line starts
 * is found once, when the file is made: every diagnostic quotes its line, and a large
 * program with a warning on every line took 22 s to print 20,000 of them when each
 * quote split the whole text again.
 */
public final class SourceFile {
    private final String displayName;
    private final Path path;
    private final String text;
    /** The offset in the text of each line's first character, as {@link String#lines()} cuts it. */
    private final int[] lineStarts;

    public SourceFile(String displayName, Path path, String text) {
        this.displayName = displayName;
        this.path = path;
        this.text = text;
        this.lineStarts = lineStarts(text);
    }

    /** The file's text, which must be UTF-8 (an IOException that says so otherwise). */
    public static SourceFile read(Path path) throws IOException {
        try {
            return new SourceFile(path.toString(), path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("not UTF-8 text; save the file as UTF-8", e);
        }
    }

    public static SourceFile of(String displayName, String text) {
        return new SourceFile(displayName, Path.of(displayName), text);
    }

    public String displayName() {
        return displayName;
    }

    public Path path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** The 1-based line, without its line terminator; empty past the end. */
    public String line(int number) {
        if (number < 1 || number > lineStarts.length) return "";
        int from = lineStarts[number - 1];
        return text.substring(from, lineEnd(text, from));
    }

    /** The folder that relative paths in the file are resolved against. */
    public Path directory() {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** Lines end at \n, \r or \r\n; a last line without a terminator counts, an empty one after the last terminator does not. */
    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            if (count == starts.length) starts = Arrays.copyOf(starts, 2 * count);
            starts[count++] = i;
            i = lineEnd(text, i);
            if (i < text.length()) i += text.startsWith("\r\n", i) ? 2 : 1;
        }
        return Arrays.copyOf(starts, count);
    }

    private static int lineEnd(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') i++;
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFile f && displayName.equals(f.displayName) && path.equals(f.path) && text.equals(f.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayName, path, text);
    }

    @Override
    public String toString() {
        return "SourceFile[" + displayName + "]";
    }
}
