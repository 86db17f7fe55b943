package dev.nnc.tests;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.source.SourceFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Every generated class, float and double, helpers and the typed class (compiled from its source), passes ASM's verifier. */
class GeneratedClassTest {

    @ParameterizedTest
    @ValueSource(strings = {"examples/xor/xor.nn", "examples/and_gate/and_gate.nn", "examples/iris/iris.nn",
            "examples/sine/sine.nn", "examples/fashion/fashion.nn", "examples/residual/residual.nn",
            "examples/fashion_cnn/fashion_cnn.nn", "tests/data/fashion_cnn_small.nn", "tests/golden/valid_forms.nn"})
    void verifies(String file) throws IOException {
        var model = Frontend.check(SourceFile.read(Path.of(file)));
        for (boolean doublePrecision : new boolean[]{false, true}) {
            CompiledModel compiled = Compiler.compile(model, doublePrecision);
            var classes = new java.util.LinkedHashMap<>(compiled.classes());
            if (!doublePrecision) classes.putAll(compiled.typedClass());
            for (var c : classes.entrySet()) {
                StringWriter problems = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(c.getValue()), getClass().getClassLoader(), false,
                        new PrintWriter(problems));
                assertEquals("", problems.toString(), c.getKey() + (doublePrecision ? " (double)" : ""));
            }
            assertEquals(doublePrecision ? 1 : 3, classes.size(), "the network class, its vector helper and the typed class");
            assertFalse(compiled.trainingKernels().isEmpty());
        }
    }
}
