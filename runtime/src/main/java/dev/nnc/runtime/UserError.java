package dev.nnc.runtime;

/**
 * A mistake in what the user gave us (a data file, a weights file, an option), with a
 * message that says where and what: printed as is, without a stack trace.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /** The command's exit status: 1, or 130 for a run the user interrupted. */
    public int exitStatus() {
        return 1;
    }
}
