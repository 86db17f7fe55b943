package dev.nnc.runtime.train;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;

/**
 * Training steps on a throwaway instance of a model, on a thread of its own, while the
 * data loads: the JIT compiles the model's kernels meanwhile. Until C2 has compiled
 * them, Vector API code runs hundreds of times slower than after (the interpreter and
 * C1 make an object of every vector), and the first steps of a run took a second each:
 * the Fashion-MNIST MLP's first epoch took 5-7 s on two threads against 0.5-0.6 s for
 * the next ones, while its data took 2 s to load before it. The instance has its own
 * parameters and buffers: nothing of the run's network, data or random numbers is
 * touched, so the run computes the same bits with or without it.
 *
 * <p>Measured with {@code nnc train bench/models/fashion_mlp.nn --epochs 2 --threads 2}
 * (2026-11-28, interleaved JVMs): the first epoch took 3.4-6.3 s, median 5.0, against
 * 4.9-7.1 s, median 5.8 (nine each); the whole run 8.2-10.4 s against 10.0-10.5 s (three
 * each). On two cores the warm-up shares them with the data's reading and the JIT's own
 * threads; with more, it gains more of the reading's time.
 */
public final class KernelWarmUp implements AutoCloseable {
    /** Not worth a thread on one core: the warm-up would take it from the data's loading. */
    private static final boolean WORTH_IT = Runtime.getRuntime().availableProcessors() > 1;

    private final Thread thread;
    private volatile boolean stopped;
    private volatile int steps;

    private KernelWarmUp(ModelClass model, int rows) {
        this.thread = new Thread(() -> run(model, rows), "nnc-warm-up");
        thread.setDaemon(true);
    }

    /**
     * Starts steps of as many rows as a part of {@code train}'s steps has: its batch, up
     * to {@link StepRunner#PART_ROWS} (a batch of 0, the whole data set, is cut into parts
     * of that many); or nothing on a machine of one core.
     */
    public static KernelWarmUp start(ModelClass model, TrainSpec train) {
        int rows = train.batch() == 0 ? StepRunner.PART_ROWS : Math.min(train.batch(), StepRunner.PART_ROWS);
        KernelWarmUp warmUp = new KernelWarmUp(model, rows);
        if (WORTH_IT) warmUp.thread.start();
        return warmUp;
    }

    /**
     * The steps, until stopped. A warm-up that fails (memory short for a second instance,
     * say) just ends: it is an optimisation, and the run itself reports what goes wrong.
     */
    private void run(ModelClass model, int rows) {
        try {
            ModelSpec spec = model.spec();
            Network network = model.create(rows);
            Initializer.initialize(network, spec, 1);
            float[] x = new float[rows * spec.inputWidth()];
            Rng rng = new Rng(1);
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
            float[] y = new float[rows * spec.targetWidth()]; // class 0, label 0, or targets of 0: all valid
            while (!stopped) {
                network.trainStep(x, y, rows, 1e-6);
                steps++;
            }
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            stopped = true;
        }
    }

    /** Whether its thread still runs: after {@link #close}, until the step under way ends. */
    public boolean running() {
        return thread.isAlive();
    }

    /** The steps run so far. */
    public int steps() {
        return steps;
    }

    /** Stops after the step under way, without waiting for it: the run's own steps can begin. */
    @Override
    public void close() {
        stopped = true;
    }
}
