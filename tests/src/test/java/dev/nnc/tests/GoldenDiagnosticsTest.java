package dev.nnc.tests;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The golden diagnostics: each .nn file under tests/golden (and examples/bad_shapes.nn)
 * carries the errors and warnings `nnc check` must print, as comments
 * {@code // expect: L:C: error: M} or {@code // expect: L:C: warning: M} (or, as in
 * bad_shapes.nn, {@code //   FILE:L:C: error: M}). A file without any must check
 * cleanly; warnings alone still check (exit 0). Every diagnostic is followed by its
 * source line and a caret.
 */
class GoldenDiagnosticsTest {
    private static final Pattern EXPECTED = Pattern.compile("^//\\s+(?:expect:\\s+|[\\w.]+\\.nn:)(\\d+:\\d+: (?:error|warning): .*)$");

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("tests/golden"))) {
            files = s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "golden files found: " + files);
        return Stream.concat(files.stream(), Stream.of(Path.of("examples/bad_shapes.nn")))
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) throws IOException {
        List<String> expected = Files.readAllLines(file).stream()
                .map(EXPECTED::matcher).filter(Matcher::matches).map(m -> file + ":" + m.group(1)).toList();
        Cli result = Cli.run("check", file.toString());
        assertFalse(result.hasStackTrace(), result.err());
        if (expected.isEmpty()) {
            assertEquals(0, result.status(), result.err());
            assertEquals("", result.err(), "no warnings");
            return;
        }
        boolean errors = expected.stream().anyMatch(e -> e.contains(": error: "));
        assertEquals(errors ? 1 : 0, result.status(), result.err());
        List<String> lines = result.err().lines().toList();
        List<String> reported = lines.stream().filter(l -> l.startsWith(file.toString())).toList();
        assertEquals(expected, reported);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(file.toString())) continue;
            assertTrue(i + 2 < lines.size() && lines.get(i + 2).trim().matches("\\^+"), "caret under " + lines.get(i));
        }
    }
}
