package dev.nnc.runtime.predict;

/**
 * Weights that a model cannot use: a missing or truncated file, weights of another
 * model or of another architecture, no weights bundled with the class. The message
 * names the file and what did not match.
 */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }
}
