package dev.nnc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The processor the benchmarks run on, from /proc/cpuinfo: machines of the same kind are
 * not always the same processor (until the morning of 2026-11-29 the sessions ran on an
 * AMD EPYC of family 26, Zen 5, the one ../shared/bench/README.md describes; from 10:26
 * that day on an Intel Xeon with AMX, where PyTorch's epoch took twice the page's time),
 * and a peer's figure is only held to the page's on the page's processor.
 *
 * @param name the model name, or the architecture where /proc/cpuinfo cannot be read
 * @param vendor the vendor id ({@code AuthenticAMD}, {@code GenuineIntel}), or empty
 * @param family the CPU family, or -1
 */
record Processor(String name, String vendor, int family) {
    /** The processor of this machine. */
    static Processor here() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return new Processor(System.getProperty("os.arch"), "", -1);
        }
    }

    /** From the lines of /proc/cpuinfo: its first processor's fields. */
    static Processor parse(List<String> cpuinfo) {
        String name = System.getProperty("os.arch");
        String vendor = "";
        int family = -1;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "model name" -> name = value;
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = Integer.parseInt(value);
                case "processor" -> { if (!value.equals("0")) return new Processor(name, vendor, family); }
                default -> { }
            }
        }
        return new Processor(name, vendor, family);
    }

    /** Whether it is the processor of ../shared/bench/README.md: AMD, family 26 (Zen 5). */
    boolean isThePagesProcessor() {
        return vendor.equals("AuthenticAMD") && family == 26;
    }
}
