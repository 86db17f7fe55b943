package dev.nnc.tests;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.data.IdxReader;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.train.Initializer;
import dev.nnc.runtime.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Once the JIT has compiled them, a training step and a prediction allocate nothing: the
 * Fashion-MNIST MLP and CNN, and a network of tanh, sigmoid, softplus and elu (whose
 * loops carry nnc's vector exp), on one thread, epoch after epoch, at least one of which
 * allocates no more than its own bookkeeping (a kernel whose vectors C2 boxes allocates kilobytes a
 * step, every epoch). Counts bytes, never time.
 */
class AllocationTest {
    static final int ROWS = 3000;
    /**
     * Epochs per call of the trainer, and calls at most. Vector code that runs once a step or once an epoch (the
     * update's slices; the row tiles of an epoch's last, short batch) runs in C1, whose vectors are objects, until C2
     * compiles it after thousands of calls: the squash net's last such method reached C2 in the 35th call of 10 epochs
     * of 47 steps here, later when the compiler threads wait for a core. The loop stops at the first epoch without
     * allocation, so the margin costs nothing when the test passes.
     */
    static final int EPOCHS = 10;
    static final int CALLS = 200;
    /** What an epoch may allocate besides its steps: its statistics record and the history's slot for it. */
    static final long EPOCH_BOOKKEEPING = 1024;

    @ParameterizedTest
    @ValueSource(strings = {"tests/data/fashion_squash.nn", "bench/models/fashion_mlp.nn", "bench/models/fashion_cnn.nn"})
    void aWarmTrainingStepAndPredictionAllocateNothing(String file) throws Exception {
        ModelClass model = ModelLoader.load(Compiler.compile(SourceFile.read(Path.of(file))));
        Dataset images = new IdxReader(model.spec()).read(Path.of("tests/data/fashion-3000-images.gz"),
                Path.of("tests/data/fashion-3000-labels.gz"));
        Dataset data = FeatureScaling.apply(FeatureScaling.fit(model.spec().preprocessing(), images), images);
        Network network = model.create(64);
        Initializer.initialize(network, model.spec(), 1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        TrainSpec train = new TrainSpec(EPOCHS, 64, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 1, 1);
        long least = Long.MAX_VALUE;
        for (int call = 0; call < CALLS && least > EPOCH_BOOKKEEPING; call++) {
            long[] perEpoch = new long[EPOCHS + 1];
            perEpoch[0] = threads.getThreadAllocatedBytes(thread);
            new Trainer(network, model.spec(), train, 0.001).fit(data, null, 1,
                    s -> perEpoch[s.epoch()] = threads.getThreadAllocatedBytes(thread));
            for (int e = 1; e <= EPOCHS; e++) least = Math.min(least, perEpoch[e] - perEpoch[e - 1]);
        }
        assertTrue(least <= EPOCH_BOOKKEEPING, least + " bytes allocated by the least allocating of " + EPOCHS * CALLS
                + " epochs of " + ROWS / 64 + " steps: a step allocates");

        Network one = model.create(1);
        assertEquals(0, fewestBytes(threads, thread, one), "bytes allocated by 2000 predictions of one row");
        // with packed weights, as a typed class predicts: the packed product, its narrow last panel included
        one.packWeights();
        assertEquals(0, fewestBytes(threads, thread, one), "bytes allocated by 2000 predictions of one row, weights packed");
    }

    /** The fewest bytes that 2000 predictions of one row allocated, in up to 40 rounds. */
    private static long fewestBytes(com.sun.management.ThreadMXBean threads, long thread, Network one) {
        float[] row = new float[784];
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 40 && fewest > 0; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 2000; i++) one.predict(row, 1);
            fewest = Math.min(fewest, threads.getThreadAllocatedBytes(thread) - before);
        }
        return fewest;
    }
}
