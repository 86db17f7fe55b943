package dev.nnc.compiler;

import java.util.concurrent.Callable;

/**
 * Runs the compiler on a thread with a large stack: deep expressions and long pipelines
 * recurse in the parser and the passes, far beyond the 1 MB of a JVM's main thread (a
 * thread's stack is only reserved; the pages it does not use cost nothing).
 */
public final class DeepStack {
    public static final long BYTES = 2L << 30;

    private DeepStack() {}

    /** The task's result, or its exception (unchecked ones as they are, others wrapped), from the deep-stack thread. */
    public static <T> T run(Callable<T> task) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                result[0] = task.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "nnc", BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        }
        if (failure[0] instanceof RuntimeException r) throw r;
        if (failure[0] instanceof Error e) throw e;
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
