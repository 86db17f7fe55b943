package dev.nnc.runtime.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during training: the first SIGINT asks the run to stop after its current batch
 * (which then saves a checkpoint); a second one ends the process at once, with status
 * 130 as a shell reports a SIGINT. Atomic writes leave at most a temporary file behind.
 */
final class InterruptRequest implements AutoCloseable {
    static final int EXIT_STATUS = 130;
    private static final Signal INT = new Signal("INT");

    private volatile boolean requested;
    private final SignalHandler previous;

    private InterruptRequest(Runnable onFirst) {
        this.previous = Signal.handle(INT, signal -> {
            if (requested) Runtime.getRuntime().halt(EXIT_STATUS);
            requested = true;
            onFirst.run();
        });
    }

    /** Handles SIGINT until closed; {@code onFirst} says what will happen. */
    static InterruptRequest install(Runnable onFirst) {
        return new InterruptRequest(onFirst);
    }

    boolean requested() {
        return requested;
    }

    /** Ignores SIGINT from now on: a parent JVM that waits for a child the same Ctrl-C reaches. */
    static void ignore() {
        Signal.handle(INT, SignalHandler.SIG_IGN);
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
