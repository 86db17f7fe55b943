package dev.nnc.tests;

import net.jqwik.api.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fuzzer of extremes, beside the mutation fuzzer: huge and tiny numbers, deep
 * nesting, long pipelines, long and non-ASCII names, NUL bytes and large files through
 * `nnc check` and `nnc summary`, `nnc compile` (the path of the embedding API and the
 * Maven plugin) when the program checks, and through the language server's analysis. Whatever
 * comes in, nnc ends with 0 or 1, never 3 and never a stack trace, and the editor gets
 * its answers.
 */
class ExtremeProgramsProperties {
    private static final String TEMPLATE = """
            model %s {
                input  x: [%s]
                target y: class[3]
                output p = x -> %s -> dense(3) -> softmax
                loss      cross_entropy(p, y)
                optimizer sgd(lr = %s)
                train { epochs %s  batch %s }
            }
            """;

    @Property(tries = 40)
    void extremesEndInAnAnswerOrADiagnostic(@ForAll("programs") String program) throws Exception {
        Path file = Files.createTempFile("extreme", ".nn");
        try {
            Files.writeString(file, program);
            Path jar = file.resolveSibling(file.getFileName() + ".jar");
            int checked = -1;
            for (String[] command : new String[][]{{"check"}, {"summary"}, {"compile", "-o", jar.toString()}}) {
                // compile, the embedding API's and the Maven plugin's path, when check accepts the program
                if (command[0].equals("compile") && checked != 0) continue;
                String[] args = new String[command.length + 1];
                args[0] = command[0];
                args[1] = file.toString();
                System.arraycopy(command, 1, args, 2, command.length - 1);
                Cli run = Cli.run(args);
                assertFalse(run.hasStackTrace(), run.err());
                assertFalse((run.out() + run.err()).contains("internal error"), run.err());
                assertTrue(run.status() == 0 || run.status() == 1, command[0] + " exit " + run.status() + ": " + run.err());
                if (command[0].equals("check")) checked = run.status();
            }
            Files.deleteIfExists(jar);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(tries = 40)
    void extremesGetTheLanguageServersAnswers(@ForAll("programs") String program) {
        // on nnc's deep-stack thread, as the server analyses
        dev.nnc.compiler.DeepStack.run(() -> {
            var analysis = dev.nnc.compiler.lsp.DocumentAnalysis.of("extreme.nn", program);
            assertNotNull(analysis.diagnostics());
            analysis.inlayHints();
            analysis.symbols();
            analysis.formatted();
            for (int line = 1; line <= 8; line++) {
                analysis.hover(line, 20);
                analysis.references(line, 12);
            }
            return null;
        });
    }

    @Provide
    Arbitrary<String> programs() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "-1", "3", "2147483647", "2147483648", "1e20", "1e308",
                "1e-320", "0.5", "99999999999999999999", "1/0", "-0", "4096");
        Arbitrary<String> names = Arbitraries.of("M", "Model", "X".repeat(10_000), "Modèle", "模型", "M\u0000N", "M_1");
        Arbitrary<String> stages = Arbitraries.oneOf(
                numbers.map(n -> "dense(" + n + ")"),
                Arbitraries.integers().between(1, 600).map(n -> String.join(" -> ", Collections.nCopies(n, "dense(4) -> tanh"))),
                Arbitraries.integers().between(1, 3000).map(n -> "dense(" + "(".repeat(n) + "4" + ")".repeat(n) + ")"),
                Arbitraries.integers().between(1, 200).map(n -> "(" + "x + ".repeat(n) + "x) -> dense(4)"),
                numbers.map(n -> "dropout(" + n + ")"));
        Arbitrary<String> program = Combinators.combine(names, numbers, stages, numbers, numbers, numbers)
                .as((name, width, stage, lr, epochs, batch) -> TEMPLATE.formatted(name, width, stage, lr, epochs, batch));
        return Arbitraries.oneOf(program, program.map(p -> p + "// " + "z".repeat(10 << 20) + "\n"),
                program.map(p -> p.replace("softmax", "soft\u0000max")));
    }
}
