package dev.nnc.runtime.cli;

import dev.nnc.runtime.UserError;

/** A run the user stopped with Ctrl-C: its message says how to go on; exit status 130. */
final class Interrupted extends UserError {
    Interrupted(String message) {
        super(message);
    }

    @Override
    public int exitStatus() {
        return InterruptRequest.EXIT_STATUS;
    }
}
