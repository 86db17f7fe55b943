package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;

/** Whether rows of data fit in memory, said before they are loaded, with what to do when they do not. */
final class MemoryCheck {
    private MemoryCheck() {}

    /** The number of input floats of {@code rows} rows; a {@link UserError} when they and the targets cannot fit. */
    static int floats(String name, long rows, int inputWidth, int targetWidth) {
        long inputs = rows * inputWidth;
        if (inputs > Integer.MAX_VALUE - 8) {
            throw new UserError(String.format("%s: error: its %,d rows of %d values are %,d numbers, more than one Java"
                    + " array holds (2^31); train on a sample of the rows", name, rows, inputWidth, inputs));
        }
        long need = 4 * rows * (inputWidth + targetWidth);
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (need > available) {
            long suggestion = Math.max(1, (3 * need + runtime.maxMemory()) >> 30) + 1;
            throw new UserError(String.format("%s: error: its %,d rows of %d values need %,d MB of memory, and the JVM has"
                            + " %,d MB left of its %,d MB; give it more: NNC_JAVA_OPTS=-Xmx%dg nnc ... (java -Xmx%dg -jar for a"
                            + " model jar)", name, rows, inputWidth + targetWidth, need >> 20, available >> 20,
                    runtime.maxMemory() >> 20, suggestion, suggestion));
        }
        return (int) inputs;
    }
}
