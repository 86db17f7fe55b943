package dev.nnc.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The machine's float FMA peak, measured on the spot: each thread runs twelve
 * independent chains of vector FMAs (enough to cover the latency of both FMA pipes), in
 * short calls so that the JIT compiles the loop whole.
 */
final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 20_000;

    private FmaPeak() {}

    /** GFLOP/s of {@code threads} threads at once, the best of several tries. */
    static double gflops(int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            for (int attempt = 0; attempt < 8; attempt++) {
                int calls = attempt < 3 ? 200 : 2000;
                List<Callable<Float>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) work.add(() -> run(calls));
                long start = System.nanoTime();
                float sink = 0;
                for (Future<Float> f : pool.invokeAll(work)) sink += f.get();
                double seconds = (System.nanoTime() - start) / 1e9;
                double flops = 2.0 * 12 * S.length() * ITERATIONS * calls * threads;
                if (sink != 1) best = Math.max(best, flops / seconds / 1e9);
            }
            return best;
        } finally {
            pool.shutdown();
        }
    }

    private static float run(int calls) {
        float sum = 0;
        for (int c = 0; c < calls; c++) sum += chains();
        return sum;
    }

    private static float chains() {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector d = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
                a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = a0.fma(m, d); a1 = a1.fma(m, d); a2 = a2.fma(m, d); a3 = a3.fma(m, d);
            a4 = a4.fma(m, d); a5 = a5.fma(m, d); a6 = a6.fma(m, d); a7 = a7.fma(m, d);
            a8 = a8.fma(m, d); a9 = a9.fma(m, d); a10 = a10.fma(m, d); a11 = a11.fma(m, d);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("FMA peak: %.1f GFLOP/s on one thread, %.1f on %d%n", gflops(1),
                gflops(Runtime.getRuntime().availableProcessors()), Runtime.getRuntime().availableProcessors());
    }
}
