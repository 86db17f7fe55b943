package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;

/** Whether rows of data fit in memory, said before they are loaded, with what to do when they do not. */
final class MemoryCheck {
    /**
     * Room for the rows and the copies made of them on the heap (the test and validation parts that training splits off;
     * the command line then scales its rows where they lie, other callers may make a scaled copy), and for the rest.
     */
    private static final int COPIES = 3;

    private MemoryCheck() {}

    /**
     * Whether rows of these widths should be arrays on the heap: they and their copies fit,
     * and {@code -Dnnc.data.mapped=true} does not ask for the mapped file anyway.
     */
    static boolean fitsInHeap(long rows, int inputWidth, int targetWidth) {
        if (Boolean.getBoolean("nnc.data.mapped") || rows * inputWidth > Integer.MAX_VALUE - 8) return false;
        return COPIES * 4 * rows * (inputWidth + targetWidth) <= available();
    }

    private static long available() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** The number of input floats of {@code rows} rows; a {@link UserError} when they and the targets cannot fit. */
    static int floats(String name, long rows, int inputWidth, int targetWidth) {
        long inputs = rows * inputWidth;
        if (inputs > Integer.MAX_VALUE - 8) {
            throw new UserError(String.format("%s: error: its %,d rows of %d values are %,d numbers, more than one Java"
                    + " array holds (2^31); train on a sample of the rows", name, rows, inputWidth, inputs));
        }
        long need = 4 * rows * (inputWidth + targetWidth);
        long available = available();
        if (need > available) {
            Runtime runtime = Runtime.getRuntime();
            long suggestion = Math.max(1, (COPIES * need + runtime.maxMemory()) >> 30) + 1;
            throw new UserError(String.format("%s: error: its %,d rows of %d values need %,d MB of memory, and the JVM has"
                            + " %,d MB left of its %,d MB; give it more: NNC_JAVA_OPTS=-Xmx%dg nnc ... (java -Xmx%dg -jar for a"
                            + " model jar)", name, rows, inputWidth + targetWidth, need >> 20, available >> 20,
                    runtime.maxMemory() >> 20, suggestion, suggestion));
        }
        return (int) inputs;
    }
}
