package dev.nnc.tests;

import dev.nnc.compiler.cli.Nnc;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs `nnc` in this JVM and keeps what it printed. */
record Cli(int status, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Nnc.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(status, out.toString(), err.toString());
    }

    boolean hasStackTrace() {
        return (out + err).matches("(?s).*\\n\\s+at [\\w.$]+\\(.*");
    }
}
