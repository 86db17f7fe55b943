package dev.nnc.tests;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.train.KernelWarmUp;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The warm-up steps a throwaway instance on its own thread until it is closed, and then stops. */
class KernelWarmUpTest {

    @Test
    void stepsUntilClosedThenStops() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "on one core the warm-up starts nothing");
        ModelClass model = ModelLoader.load(Compiler.compile(SourceFile.read(Path.of("bench/models/fashion_mlp.nn"))));
        KernelWarmUp warmUp = KernelWarmUp.start(model, model.spec().train());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (warmUp.steps() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(warmUp.steps() >= 3, "steps run: " + warmUp.steps());
        warmUp.close();
        while (warmUp.running() && System.nanoTime() < deadline) Thread.sleep(10); // the step under way finishes
        assertFalse(warmUp.running(), "the warm-up's thread ends");
        int last = warmUp.steps();
        Thread.sleep(200);
        assertEquals(last, warmUp.steps(), "and no other step begins");
    }
}
