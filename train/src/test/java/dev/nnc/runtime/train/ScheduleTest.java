package dev.nnc.runtime.train;

import dev.nnc.runtime.spec.TrainSpec.ScheduleSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ScheduleTest {
    private static final double BASE = 0.1;

    @Test
    void constantKeepsTheRate() {
        assertEquals(BASE, Schedule.rate(ScheduleSpec.CONSTANT, BASE, 17, 30));
    }

    @Test
    void stepMultipliesEveryNEpochs() {
        ScheduleSpec step = new ScheduleSpec("step", 0, 10, 0.5, 1, 0);
        assertEquals(0.1, Schedule.rate(step, BASE, 9, 30), 1e-15);
        assertEquals(0.05, Schedule.rate(step, BASE, 10, 30), 1e-15);
        assertEquals(0.025, Schedule.rate(step, BASE, 29, 30), 1e-15);
    }

    @Test
    void exponentialDecaysEachEpoch() {
        ScheduleSpec exp = new ScheduleSpec("exponential", 0, 0, 1, 0.9, 0);
        assertEquals(BASE * 0.9 * 0.9 * 0.9, Schedule.rate(exp, BASE, 3, 10), 1e-15);
    }

    @Test
    void cosineGoesFromTheBaseToTheMinimum() {
        ScheduleSpec cos = new ScheduleSpec("cosine", 0, 0, 1, 1, 0.001);
        assertEquals(BASE, Schedule.rate(cos, BASE, 0, 11), 1e-15);
        assertEquals((BASE + 0.001) / 2, Schedule.rate(cos, BASE, 5, 11), 1e-12);
        assertEquals(0.001, Schedule.rate(cos, BASE, 10, 11), 1e-15);
    }

    @Test
    void warmupRisesLinearlyThenHandsOver() {
        ScheduleSpec warm = new ScheduleSpec("cosine", 2, 0, 1, 1, 0);
        assertEquals(BASE / 3, Schedule.rate(warm, BASE, 0, 12), 1e-15);
        assertEquals(2 * BASE / 3, Schedule.rate(warm, BASE, 1, 12), 1e-15);
        assertEquals(BASE, Schedule.rate(warm, BASE, 2, 12), 1e-15);
    }
}
