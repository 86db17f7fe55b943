package dev.nnc.bench;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.vector.Gemm;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the packed product of prediction on the layers of the Fashion-MNIST MLP, one
 * core: the runtime's alone ({@link Gemm#multiply}), and with the compiled model's tall
 * tiles before it ({@link #compiled}), as prediction runs it. {@link KernelBenchmark#main} reports it as GFLOP/s and
 * as a fraction of the FMA peak measured in the same run. Three JVMs each: where the
 * heap puts the packed panels decides whether their 64-byte rows start on a cache line,
 * and that alone moves the product by about 10% from one JVM to the next.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
    /** "k x n": the layer's inputs and outputs. */
    @Param({"784x256", "256x128"})
    String layer;

    @Param({"64", "120", "1"})
    int rows;

    int k;
    int n;
    float[] a;
    float[] packed;
    float[] c;

    @Setup
    public void setUp() {
        k = Integer.parseInt(layer.split("x")[0]);
        n = Integer.parseInt(layer.split("x")[1]);
        Rng rng = new Rng(1);
        a = new float[rows * k];
        float[] w = new float[n * k];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble();
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble() - 0.5f;
        packed = Gemm.pack(w, n, k);
        c = new float[rows * n];
    }

    @Benchmark
    public float[] multiply() {
        Gemm.multiply(a, packed, c, rows, k, n);
        return c;
    }

    /**
     * The same product as a compiled model's prediction runs it: the model's tall tiles of
     * 14 and 12 rows (generated with k and n known: see TallTileEmitter), then the runtime's for
     * the rows left. The tiles are those of bench/models/fashion_mlp.nn's layer of this shape.
     */
    @Benchmark
    public float[] compiled() throws Throwable {
        int from = (int) tall.invokeExact(a, packed, c, rows);
        Gemm.multiply(a, packed, c, from, rows, k, n);
        return c;
    }

    MethodHandle tall;

    @Setup
    public void setUpCompiled() throws ReflectiveOperationException, IOException {
        Path model = Path.of(System.getProperty("nnc.root", "."), "bench/models/fashion_mlp.nn");
        CompiledModel compiled = dev.nnc.compiler.Compiler.compile(SourceFile.read(model));
        Class<?> network = ModelLoader.load(compiled).create(1).getClass();
        Class<?> helper = Class.forName(network.getName() + "$Vector", true, network.getClassLoader());
        String weight = k == 784 ? "p0" : "p2"; // the first dense layer's weights, or the second's
        tall = MethodHandles.lookup().findStatic(helper, weight + "_packed_tall",
                MethodType.methodType(int.class, float[].class, float[].class, float[].class, int.class));
    }

    static double flops(String layer, int rows) {
        String[] d = layer.split("x");
        return 2.0 * rows * Integer.parseInt(d[0]) * Integer.parseInt(d[1]);
    }
}
