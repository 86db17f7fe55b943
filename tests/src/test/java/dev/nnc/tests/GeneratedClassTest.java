package dev.nnc.tests;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every generated class, float and double, helpers and the typed class (compiled from its source), passes ASM's verifier;
 * the Vector API helper has one method per shape of product and loop.
 */
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

    /**
     * The kernels of one shape share the helper's method for it: each forward product serves prediction, evaluation and
     * training, and one loop runs Adam for every parameter, so that the JIT compiles each once. (With a method per
     * kernel, the first evaluation of 10,000 rows after a training epoch took 0.9-1.2 s, compiling evaluation's own
     * copies, against 0.06 s shared.)
     */
    @Test
    void kernelsOfOneShapeShareOneHelperMethod() throws IOException {
        CompiledModel compiled = Compiler.compile(SourceFile.read(Path.of("bench/models/fashion_mlp.nn")));
        byte[] helper = compiled.classes().entrySet().stream().filter(c -> c.getKey().endsWith("$Vector"))
                .findFirst().orElseThrow().getValue();
        Set<String> methods = new TreeSet<>();
        new ClassReader(helper).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if ((access & Opcodes.ACC_PUBLIC) != 0) methods.add(name);
                return null;
            }
        }, 0);
        assertEquals(Set.of("lanes",
                "dot_b_256_784", "dot_b_128_256", "dot_b_10_128", // the forward products
                "axpyT_256_784_b", "axpyT_128_256_b", "axpyT_10_128_b", // the weights' gradients
                "axpy_b_256_128", "axpy_b_128_10", // the deltas
                "p0_packed_tall", "p2_packed_tall"), // prediction's products of packed weights
                Set.copyOf(methods.stream().filter(m -> !m.contains("_loop")).toList()));
        // element-wise loops: the activations and their derivatives, none of evaluation's own, one for every update
        assertEquals(List.of(), methods.stream().filter(m -> m.startsWith("evaluate_")).toList());
        assertEquals(1, methods.stream().filter(m -> m.startsWith("update_")).count(), methods.toString());
    }
}
