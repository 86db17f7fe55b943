package dev.nnc.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The processor named from /proc/cpuinfo, and whether the peers' expected figures apply to it. */
class ProcessorTest {
    @Test
    void theZen5OfTheBenchmarkPageIsRecognised() {
        Processor amd = Processor.parse(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 26",
                "model\t\t: 2", "model name\t: AMD EPYC 9B45", "", "processor\t: 1", "vendor_id\t: AuthenticAMD"));
        assertEquals(new Processor("AMD EPYC 9B45", "AuthenticAMD", 26), amd);
        assertTrue(amd.isThePagesProcessor());
    }

    @Test
    void anotherProcessorIsNamedAndNotHeldToThePage() {
        Processor intel = Processor.parse(List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "cpu family\t: 6",
                "model\t\t: 167", "model name\t: Intel(R) Xeon(R) Processor", "processor\t: 1",
                "model name\t: something else"));
        assertEquals(new Processor("Intel(R) Xeon(R) Processor", "GenuineIntel", 6), intel);
        assertFalse(intel.isThePagesProcessor());
        assertFalse(new Processor("aarch64", "", -1).isThePagesProcessor());
    }
}
