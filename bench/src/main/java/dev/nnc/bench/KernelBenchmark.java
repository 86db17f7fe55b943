package dev.nnc.bench;

import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.train.Initializer;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import dev.nnc.compiler.emit.VectorKernelEmitter;
import dev.nnc.compiler.loop.VectorMatMul;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * JMH benchmarks of the generated kernels of the Fashion-MNIST MLP (bench/models/fashion_mlp.nn):
 * the training pass (forward, loss, backward), the first layer's forward product in it,
 * the optimizer update, and inference through the packed weights, reported by {@link #main} with {@link GemmBenchmark} as
 * GFLOP/s and as a fraction of the FMA peak. Run with bench/kernels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KernelBenchmark {
    @Param({"64", "1000"})
    int batch;

    Network network;
    float[] x;
    float[] y;

    @Setup
    public void setUp() throws IOException {
        Path model = Path.of(System.getProperty("nnc.root", "."), "bench/models/fashion_mlp.nn");
        ModelClass compiled = ModelLoader.load(dev.nnc.compiler.Compiler.compile(SourceFile.read(model)));
        network = compiled.create(batch);
        Initializer.initialize(network, compiled.spec(), 1);
        Rng rng = new Rng(1);
        x = new float[batch * 784];
        y = new float[batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
        // prediction as the typed classes run it (update() drops the packs again)
        network.packWeights();
    }

    @Benchmark
    public double gradients() {
        return network.gradients(x, y, batch);
    }

    @Benchmark
    public void update() {
        network.update(1e-6);
    }

    @Benchmark
    public float[] predict() {
        return network.predict(x, batch);
    }

    /** The first layer's forward product as training runs it (784 inputs, 256 outputs): the block form on blocks of 32 rows. */
    @Benchmark
    public void forwardProduct() throws Throwable {
        for (int first = 0; first < batch; first += VectorMatMul.BLOCK_ROWS) {
            firstProduct.invokeExact(x, firstWeights, firstOutputs, firstWork, batch, first);
        }
    }

    MethodHandle firstProduct;
    float[] firstWeights;
    float[] firstOutputs;
    float[] firstWork;

    /** The generated helper method of the training pass's first product, {@code dot_b_256_784}, and its arrays. */
    @Setup
    public void setUpProduct() throws ReflectiveOperationException {
        Class<?> helper = Class.forName(network.getClass().getName() + "$Vector", true, network.getClass().getClassLoader());
        firstProduct = MethodHandles.lookup().findStatic(helper, VectorMatMul.of(true, false, -1, 256, 784).name(),
                MethodType.fromMethodDescriptorString(VectorKernelEmitter.DOT_DESCRIPTOR, helper.getClassLoader()));
        firstWeights = network.parameters()[0];
        firstOutputs = new float[batch * 256];
        firstWork = new float[784 * VectorMatMul.BLOCK_ROWS];
    }

    /** Runs the benchmark classes (or those args[1] names) and reports GFLOP/s and the fraction of the one-core FMA peak measured first. */
    public static void main(String[] args) throws Exception {
        String root = args.length > 0 ? args[0] : ".";
        double peak = FmaPeak.gflops(1);
        OptionsBuilder options = new OptionsBuilder();
        if (args.length > 1) {
            options.include(args[1]); // a pattern: only the benchmarks it names
        } else {
            options.include(KernelBenchmark.class.getSimpleName())
                    .include(GemmBenchmark.class.getSimpleName())
                    .include(ConvBenchmark.class.getSimpleName());
        }
        Collection<RunResult> results = new Runner(options
                .jvmArgsAppend("-Dnnc.root=" + root)
                .build()).run();
        System.out.printf(Locale.ROOT, "%nFMA peak measured now: %.1f GFLOP/s on one core%n", peak);
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            if (name.equals("multiply") || name.equals("compiled")) {
                String layer = r.getParams().getParam("layer");
                int rows = Integer.parseInt(r.getParams().getParam("rows"));
                double micros = r.getPrimaryResult().getScore();
                double gflops = GemmBenchmark.flops(layer, rows) / micros / 1e3;
                System.out.printf(Locale.ROOT, "packed product %s, %-8s %4d rows: %10.2f us  %6.1f GFLOP/s  %3.0f%% of peak%n",
                        layer, name.equals("multiply") ? "runtime" : "compiled", rows, micros, gflops, 100 * gflops / peak);
                continue;
            }
            if (r.getParams().getBenchmark().contains("ConvBenchmark")) {
                int rows = Integer.parseInt(r.getParams().getParam("rows"));
                double micros = r.getPrimaryResult().getScore();
                double gflops = ConvBenchmark.flops(rows) / micros / 1e3;
                System.out.printf(Locale.ROOT, "conv 13x13x32 -> 64, %-14s %2d rows: %10.2f us  %6.1f GFLOP/s  %3.0f%% of peak%n",
                        name, rows, micros, gflops, 100 * gflops / peak);
                continue;
            }
            int batch = Integer.parseInt(r.getParams().getParam("batch"));
            double micros = r.getPrimaryResult().getScore();
            double flops = switch (name) {
                case "gradients" -> NncWorkloads.TRAINING_FLOPS * batch;
                case "predict" -> NncWorkloads.FORWARD_FLOPS * batch;
                case "forwardProduct" -> 2.0 * 784 * 256 * batch;
                default -> 0;
            };
            System.out.printf(Locale.ROOT, "%-10s batch %5d: %10.1f us%s%n", name, batch, micros,
                    flops > 0 ? String.format(Locale.ROOT, "  %6.1f GFLOP/s  %3.0f%% of peak", flops / micros / 1e3,
                            100 * flops / micros / 1e3 / peak) : "");
        }
    }
}
