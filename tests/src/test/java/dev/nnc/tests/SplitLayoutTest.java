package dev.nnc.tests;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.GradientCheck;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.train.Initializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The split layout (buffers in one array of arrays, kernels in kernel classes), which
 * models too large for one class file get, here forced on ordinary models: its classes
 * pass ASM's verifier, it computes the same bits as the plain layout's scalar loops, and
 * its double-precision class passes the gradient check. (ExtremesTest trains a pipeline
 * of 3,000 stages, which needs it.)
 */
class SplitLayoutTest {
    private static final String[] MODELS = {"examples/iris/iris.nn", "tests/data/fashion_cnn_small.nn", "tests/golden/valid_forms.nn"};

    private static <T> T with(String property, String value, Supplier<T> action) {
        String previous = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return action.get();
        } finally {
            if (previous == null) System.clearProperty(property);
            else System.setProperty(property, previous);
        }
    }

    private static CompiledModel split(CheckedModel model, boolean doublePrecision) {
        return with(Compiler.SPLIT_PROPERTY, "true", () -> Compiler.compile(model, doublePrecision));
    }

    private static CheckedModel model(String file) {
        try {
            return Frontend.check(SourceFile.read(Path.of(file)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples/iris/iris.nn", "tests/data/fashion_cnn_small.nn", "tests/golden/valid_forms.nn"})
    void itsClassesVerify(String file) {
        for (boolean doublePrecision : new boolean[]{false, true}) {
            CompiledModel compiled = split(model(file), doublePrecision);
            assertTrue(compiled.companions().keySet().stream().anyMatch(name -> name.endsWith("$Kernels0")), compiled.companions().keySet().toString());
            for (var c : compiled.classes().entrySet()) {
                StringWriter problems = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(c.getValue()), getClass().getClassLoader(), false, new PrintWriter(problems));
                assertEquals("", problems.toString(), c.getKey());
            }
        }
    }

    @Test
    void itComputesTheBitsOfThePlainLayoutsScalarLoops() {
        for (String file : MODELS) {
            CheckedModel model = model(file);
            with("nnc.vector", "false", () -> {
                Network plain = network(Compiler.compile(model, false));
                Network split = network(split(model, false));
                int rows = 5;
                int width = model.input().shape().stream().reduce(1, (a, b) -> a * b);
                Rng rng = new Rng(3);
                for (int step = 0; step < 3; step++) {
                    float[] x = new float[rows * width];
                    for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
                    float[] y = new float[rows];
                    assertEquals(plain.trainStep(x, y, rows, 0.01), split.trainStep(x, y, rows, 0.01), file);
                    // a replica shares the parameters and computes its own gradients
                    Network plainReplica = plain.replica(rows);
                    Network splitReplica = split.replica(rows);
                    double replicaLoss = plainReplica.gradients(x, y, rows, 2 * rows);
                    assertEquals(replicaLoss, splitReplica.gradients(x, y, rows, 2 * rows));
                    for (int t = 0; t < plain.parameters().length; t++) {
                        assertArrayEquals(plain.parameters()[t], split.parameters()[t], file + " parameter " + t);
                        assertSame(split.parameters()[t], splitReplica.parameters()[t]);
                        assertArrayEquals(plainReplica.parameterGradients()[t], splitReplica.parameterGradients()[t]);
                    }
                    // a replica that shares the gradients too writes its network's (the plain layout only)
                    Network sharing = plain.replicaSharingGradients(rows);
                    assertNull(split.replicaSharingGradients(rows));
                    assertEquals(replicaLoss, sharing.gradients(x, y, rows, 2 * rows)); // a new replica draws the same dropout
                    for (int t = 0; t < plain.parameters().length; t++) {
                        assertSame(plain.parameterGradients()[t], sharing.parameterGradients()[t]);
                        assertNotSame(plain.parameterGradients()[t], plainReplica.parameterGradients()[t]);
                        assertArrayEquals(plainReplica.parameterGradients()[t], plain.parameterGradients()[t], file + " gradient " + t);
                    }
                    for (int s = 0; s < plain.optimizerState().length; s++) {
                        assertArrayEquals(plain.optimizerState()[s], split.optimizerState()[s], file + " state " + s);
                    }
                    assertArrayEquals(plain.predict(x, rows), split.predict(x, rows), file);
                }
                split.resetOptimizer();
                for (float[] state : split.optimizerState()) {
                    for (float v : state) assertEquals(0f, v);
                }
                return null;
            });
        }
    }

    private static Network network(CompiledModel compiled) {
        Network net = ModelLoader.load(compiled).create(8);
        Initializer.initialize(net, compiled.spec(), 11);
        net.seed(5);
        return net;
    }

    @Test
    void itsGradientsPassTheCheck() {
        for (String file : MODELS) {
            GradientCheck.Report report = with(Compiler.SPLIT_PROPERTY, "true", () -> GradientCheck.run(model(file), 3, 30, 2));
            assertTrue(report.worst().maxRelative() <= 1e-6, file + ": " + report.worst());
        }
    }
}
