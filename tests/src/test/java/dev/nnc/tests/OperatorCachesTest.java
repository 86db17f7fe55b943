package dev.nnc.tests;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.vector.OperatorCaches;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every Vector API operator that a kernel can apply, in the classes generated for the
 * examples and benchmark models and in the runtime's own vector kernels, is one that
 * {@link OperatorCaches} applies before the first kernel runs (why it must be: its
 * comment). Reads the bytecode: the VectorOperators constants named and the lane-wise
 * shortcuts called ({@code add} is ADD, {@code fma} FMA, ...).
 */
class OperatorCachesTest {
    private static final String[] MODELS = {"examples/xor/xor.nn", "examples/iris/iris.nn", "examples/sine/sine.nn",
            "examples/fashion/fashion.nn", "examples/residual/residual.nn", "examples/fashion_cnn/fashion_cnn.nn",
            "bench/models/fashion_mlp.nn", "bench/models/fashion_cnn.nn", "tests/data/fashion_squash.nn",
            "tests/golden/valid_forms.nn"};
    private static final Set<String> VECTORS = Set.of("jdk/incubator/vector/FloatVector",
            "jdk/incubator/vector/IntVector", "jdk/incubator/vector/Vector");
    /** The lane-wise shortcuts and the operator each applies. */
    private static final Map<String, String> SHORTCUTS = Map.ofEntries(Map.entry("add", "ADD"), Map.entry("sub", "SUB"),
            Map.entry("mul", "MUL"), Map.entry("div", "DIV"), Map.entry("max", "MAX"), Map.entry("min", "MIN"),
            Map.entry("neg", "NEG"), Map.entry("abs", "ABS"), Map.entry("sqrt", "SQRT"), Map.entry("fma", "FMA"),
            Map.entry("pow", "POW"), Map.entry("and", "AND"), Map.entry("or", "OR"), Map.entry("not", "NOT"),
            Map.entry("eq", "EQ"), Map.entry("lt", "LT"));

    @Test
    void everyOperatorAKernelAppliesIsAppliedFirst() throws Exception {
        Map<String, Set<String>> used = new TreeMap<>();
        for (String model : MODELS) {
            var classes = Compiler.compile(SourceFile.read(Path.of(model))).classes();
            for (var c : classes.entrySet()) scan(c.getValue(), model + ": " + c.getKey(), used);
            assertTrue(initializerFillsCaches(classes.values().iterator().next()),
                    model + ": the network class's initializer calls OperatorCaches.fill");
        }
        for (var c : runtimeVectorClasses().entrySet()) scan(c.getValue(), c.getKey(), used);
        assertTrue(used.containsKey("FMA") && used.containsKey("ADD"), "the scan finds the kernels' operators: " + used);
        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(OperatorCaches.OPERATORS);
        assertEquals(Map.of(), missing, "operators applied by kernels (and where) that OperatorCaches does not apply");
    }

    private static void scan(byte[] classFile, String where, Map<String, Set<String>> used) {
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        if (owner.equals("jdk/incubator/vector/VectorOperators")) note(field);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        if (VECTORS.contains(owner) && SHORTCUTS.containsKey(method)) note(SHORTCUTS.get(method));
                    }

                    private void note(String operator) {
                        used.computeIfAbsent(operator, k -> new TreeSet<>()).add(where);
                    }
                };
            }
        }, 0);
    }

    private static boolean initializerFillsCaches(byte[] classFile) {
        boolean[] calls = {false};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!name.equals("<clinit>")) return null;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        if (owner.equals("dev/nnc/runtime/vector/OperatorCaches") && method.equals("fill")) calls[0] = true;
                    }
                };
            }
        }, 0);
        return calls[0];
    }

    /** The class files of dev.nnc.runtime.vector, from the directory or jar the runtime was loaded from. */
    private static Map<String, byte[]> runtimeVectorClasses() throws IOException, URISyntaxException {
        Path location = Path.of(OperatorCaches.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) return classesUnder(location.resolve("dev/nnc/runtime/vector"));
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return classesUnder(jar.getPath("dev/nnc/runtime/vector"));
        }
    }

    private static Map<String, byte[]> classesUnder(Path dir) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                if (!p.getFileName().toString().startsWith("OperatorCaches")) classes.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        assertFalse(classes.isEmpty(), "no classes in " + dir);
        return classes;
    }
}
