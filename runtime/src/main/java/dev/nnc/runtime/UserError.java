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
}
