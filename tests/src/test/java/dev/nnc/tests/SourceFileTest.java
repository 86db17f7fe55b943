package dev.nnc.tests;

import dev.nnc.compiler.source.SourceFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A diagnostic quotes its line as {@link String#lines()} cuts the text, whatever ends the lines. */
class SourceFileTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "one", "one\n", "one\ntwo", "one\r\ntwo\r\n", "a\rb\rc", "a\n\nb\n\n", "\r\n\r\n",
            "mixed\r\n\rends\n\r\nhere", "  indented\n\ttabbed\n"})
    void linesAreThoseOfStringLines(String text) {
        SourceFile file = SourceFile.of("t.nn", text);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) assertEquals(lines.get(i), file.line(i + 1), "line " + (i + 1));
        assertEquals("", file.line(0));
        assertEquals("", file.line(lines.size() + 1));
    }
}
