package dev.nnc.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** One claimer at a time; the crew it gets runs tasks on its helpers, and is the same crew for the next claimer. */
class ClaimableCrewTest {
    @Test
    void oneClaimerAtATimeAndTheSameCrewForTheNext() {
        ClaimableCrew shared = new ClaimableCrew(1, "test-claimable");
        assertTrue(shared.tryClaim());
        assertFalse(shared.tryClaim(), "claimed already");
        SpinningCrew crew = shared.crew();
        AtomicInteger runs = new AtomicInteger();
        crew.runEverywhere(runs::incrementAndGet);
        assertEquals(2, runs.get(), "the helper and the caller");
        shared.release();
        assertTrue(shared.tryClaim());
        assertSame(crew, shared.crew());
        shared.release();
        crew.close();
    }
}
