package dev.nnc.tests;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.GradientCheck;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Lowering;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.compiler.syntax.Ast;
import dev.nnc.compiler.syntax.Formatter;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.train.Initializer;
import net.jqwik.api.*;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Properties over generated programs: random valid networks differentiate correctly
 * and compute what a plain reference computes; random broken programs get diagnostics,
 * never an exception; the formatter and the parser agree.
 */
class PropertiesTest {

    @Property(tries = 40)
    void randomNetworksPassTheGradientCheck(@ForAll("programs") String program) {
        CheckedModel model = Frontend.check(SourceFile.of("random.nn", program));
        GradientCheck.Report report = GradientCheck.run(model, 3, 40, 5);
        for (GradientCheck.TensorResult t : report.tensors()) {
            assertTrue(t.maxRelative() <= 1e-6, t + "\n" + program);
        }
    }

    @Property(tries = 25)
    void randomConvolutionalNetworksPassTheGradientCheck(@ForAll("convPrograms") String program) {
        randomNetworksPassTheGradientCheck(program);
    }

    @Property(tries = 25)
    void convolutionsInFloatMatchTheDoubleReference(@ForAll("convPrograms") String program, @ForAll long seed) {
        // half the time through packWeights(): filters packed once, as an application predicts
        forwardMatchesTheReference(program, seed, seed % 2 == 0);
    }

    @Provide
    Arbitrary<String> convPrograms() {
        return ProgramGenerators.convPrograms();
    }

    @Property(tries = 40)
    void floatForwardMatchesTheDoubleReference(@ForAll("programs") String program, @ForAll long seed) {
        forwardMatchesTheReference(program, seed, false);
    }

    private static void forwardMatchesTheReference(String program, long seed, boolean packed) {
        CheckedModel model = Frontend.check(SourceFile.of("random.nn", program));
        ModelClass compiled = ModelLoader.load(Compiler.compile(model, false));
        int rows = 3;
        Network net = compiled.create(rows);
        Initializer.initialize(net, compiled.spec(), seed);
        float[][] params = net.parameters();
        for (float[] p : params) {
            Rng rng = new Rng(seed ^ p.length);
            for (int i = 0; i < p.length; i++) p[i] += (float) (0.1 * rng.nextGaussian()); // biases too
        }
        Map<String, float[]> named = new HashMap<>();
        for (int i = 0; i < params.length; i++) named.put(compiled.spec().parameters().get(i).name(), params[i]);
        float[] x = new float[rows * compiled.spec().inputWidth()];
        Rng rng = new Rng(seed);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        Graph graph = Lowering.inference(model);
        double[] expected = ReferenceEvaluator.forward(graph, named, x, rows);
        if (packed) net.packWeights();
        float[] actual = net.predict(x, rows);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "output " + i + "\n" + program);
        }
    }

    @Provide
    Arbitrary<String> programs() {
        return ProgramGenerators.programs();
    }

    // ---- broken programs ----

    private static final List<String> EXAMPLES = List.of("examples/xor/xor.nn", "examples/iris/iris.nn",
            "examples/fashion/fashion.nn", "examples/residual/residual.nn", "examples/sine/sine.nn",
            "examples/and_gate/and_gate.nn", "tests/golden/valid_forms.nn");

    private static final List<String> JUNK = List.of("", " ", "(", ")", "->", "+", "[", "]", "{", "}", ",", "=", "%",
            "\"", "0", "-1", "1e9", "relu", "dense", "x", "loss", "train", "then", "model", "#", "/*", "//", "\n", "1/0",
            "dense(0)", "dropout(2)", "class[1]", "softmax(", "until", "batch all", "[784, 0]", "*", "<");

    @Property(tries = 300)
    void mutatedProgramsGetDiagnosticsNotExceptions(@ForAll("mutations") String program) throws IOException {
        Path file = Files.createTempFile("mutant", ".nn");
        try {
            Files.writeString(file, program);
            Cli r = Cli.run("check", file.toString());
            assertTrue(r.status() == 0 || r.status() == 1, "status " + r.status() + "\n" + r.err() + "\n" + program);
            assertFalse(r.hasStackTrace(), r.err());
            assertFalse(r.err().contains("internal"), r.err() + "\n" + program);
            if (r.status() == 1) assertTrue(r.err().contains(": error: "), r.err());
            if (r.status() == 0) compiles(program);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void compiles(String program) {
        var compiled = Compiler.compile(Frontend.check(SourceFile.of("mutant.nn", program)), false);
        assertFalse(compiled.trainingKernels().isEmpty());
    }

    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> sources = Arbitraries.of(EXAMPLES).map(PropertiesTest::read);
        return Combinators.combine(sources, Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 12), Arbitraries.of(JUNK), Arbitraries.integers().between(0, 2))
                .as((text, at, length, junk, kind) -> {
                    int start = at % (text.length() + 1);
                    int end = Math.min(text.length(), start + length);
                    return switch (kind) {
                        case 0 -> text.substring(0, start) + text.substring(end);                 // delete
                        case 1 -> text.substring(0, start) + junk + text.substring(start);        // insert
                        default -> text.substring(0, start) + junk + text.substring(end);         // replace
                    };
                });
    }

    @Property(tries = 100)
    void randomTokenSoupIsRejectedCleanly(@ForAll("soup") String program) {
        Cli r = runOn(program);
        assertTrue(r.status() == 0 || r.status() == 1, r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of(JUNK).list().ofMaxSize(40).map(tokens -> "model M { " + String.join(" ", tokens) + " }");
    }

    private static Cli runOn(String program) {
        try {
            Path file = Files.createTempFile("soup", ".nn");
            try {
                Files.writeString(file, program);
                return Cli.run("check", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the formatter ----

    @Property(tries = 100)
    void formattingKeepsTheMeaningAndIsStable(@ForAll("formattable") String program) {
        Ast.Model ast = Frontend.parse(SourceFile.of("a.nn", program));
        String once = Formatter.format(ast);
        Ast.Model reparsed = Frontend.parse(SourceFile.of("b.nn", once));
        assertEquals(withoutSpans(ast), withoutSpans(reparsed), once);
        assertEquals(once, Formatter.format(reparsed));
    }

    @Provide
    Arbitrary<String> formattable() {
        return Arbitraries.oneOf(ProgramGenerators.programs(), Arbitraries.of(EXAMPLES).map(PropertiesTest::read),
                mutations().filter(PropertiesTest::parses));
    }

    private static boolean parses(String program) {
        try {
            Frontend.parse(SourceFile.of("m.nn", program));
            return true;
        } catch (dev.nnc.compiler.source.CompileError e) {
            return false;
        }
    }

    /** The AST as plain values with every span replaced by NONE (comments compared by text). */
    static Object withoutSpans(Object node) {
        if (node instanceof Span) return Span.NONE;
        if (node instanceof List<?> list) return list.stream().map(PropertiesTest::withoutSpans).toList();
        if (node instanceof Optional<?> o) return o.map(PropertiesTest::withoutSpans);
        if (node instanceof Ast.Comment c) return c.text().strip();
        if (node instanceof Record r) {
            List<Object> parts = new ArrayList<>();
            parts.add(r.getClass().getSimpleName());
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    parts.add(withoutSpans(rc.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return parts;
        }
        return node;
    }
}
