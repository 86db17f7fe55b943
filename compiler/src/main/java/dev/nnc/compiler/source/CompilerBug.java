package dev.nnc.compiler.source;

/**
 * A broken invariant between passes: never the user's fault, never a diagnostic.
 * The command line reports it as an internal error asking for a bug report.
 */
public final class CompilerBug extends RuntimeException {
    public CompilerBug(String message) {
        super(message);
    }

    public static void check(boolean condition, String message) {
        if (!condition) throw new CompilerBug(message);
    }
}
