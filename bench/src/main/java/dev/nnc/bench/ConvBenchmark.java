package dev.nnc.bench;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.vector.Conv;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * JMH: the convolution kernels ({@link Conv}) on the second convolution of the
 * Fashion-MNIST CNN (13 x 13 x 32 in, 64 filters of 3 x 3, 11 x 11 x 64 out), one core,
 * at a training part's 32 rows and at one image. {@link KernelBenchmark#main} reports
 * them as GFLOP/s and as a fraction of the FMA peak measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ConvBenchmark {
    static final int H = 13, W = 13, C = 32, K = 3, F = 64, OH = 11, OW = 11;

    @Param({"32", "1"})
    int rows;

    float[] x;
    float[] filters;
    float[] bias;
    float[] packed;
    float[] prepacked;
    float[] out;
    float[] dy;
    float[] dx;
    float[] dw;
    float[] work;
    float[] sums;

    @Setup
    public void setUp() {
        Rng rng = new Rng(1);
        x = random(rng, rows * H * W * C);
        filters = random(rng, F * C * K * K);
        bias = random(rng, F);
        dy = random(rng, rows * OH * OW * F);
        prepacked = Conv.pack(filters, F, C, K, K);
        packed = new float[Math.max(prepacked.length, Conv.packedSize(C, F, K, K))];
        out = new float[rows * OH * OW * F];
        dx = new float[x.length];
        dw = new float[filters.length];
        work = new float[x.length + C];
        sums = new float[(K * K * C + 1) * F];
    }

    private static float[] random(Rng rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextDouble() - 0.5f;
        return v;
    }

    @Benchmark
    public float[] forward() {
        Conv.forward(x, filters, bias, out, prepacked, packed, null, rows, H, W, C, K, K, 1, 0, 0, OH, OW, F, 1);
        return out;
    }

    @Benchmark
    public float[] inputGradient() {
        Conv.inputGradient(dy, filters, dx, packed, work, rows, H, W, C, K, K, 1, 0, 0, OH, OW, F);
        return dx;
    }

    @Benchmark
    public float[] weightGradient() {
        Conv.weightGradient(x, dy, dw, sums, null, rows, H, W, C, K, K, 1, 0, 0, OH, OW, F);
        return dw;
    }

    /** The products of one call on {@code rows} images: every kernel here does the same number. */
    static double flops(int rows) {
        return 2.0 * rows * OH * OW * F * K * K * C;
    }
}
