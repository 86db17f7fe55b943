package dev.nnc.runtime.cli;

import dev.nnc.runtime.UserError;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * How a command reports what went wrong, for nnc and for model jars alike: the user's
 * mistakes as they are (exit 1; 130 for an interrupted run); anything else as a bug in
 * nnc (exit 3). A stack trace
 * only with {@code --debug}.
 */
public final class ErrorReport {
    private ErrorReport() {}

    public static boolean debug(CommandLine.ParseResult parsed) {
        return parsed.hasMatchedOption("--debug")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
    }

    /**
     * The JVM ran out of heap: one line with the figure and what to do, exit 1 (the data
     * or the model is the user's; the heap is a setting).
     */
    public static int outOfMemory(PrintWriter err) {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        long more = Math.max(2, 2 * (max >> 10) + 2);
        err.println("error: out of memory: this JVM may use " + max + " MB; give it more: NNC_JAVA_OPTS=-Xmx" + more
                + "g nnc ... (java -Xmx" + more + "g -jar for a model jar)");
        err.flush();
        return 1;
    }

    /** {@code kind} names a failure that is not the user's, e.g. "internal error". */
    public static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed, String kind) {
        PrintWriter err = cli.getErr();
        boolean debug = debug(parsed);
        int status;
        if (e instanceof UserError u) {
            err.println(e.getMessage());
            status = u.exitStatus();
        } else {
            err.println("nnc: " + kind + ": " + e + "\nThis is a bug in nnc; please report it with the .nn file"
                    + (debug ? "" : " and the output of --debug"));
            status = 3;
        }
        if (debug) e.printStackTrace(err);
        err.flush();
        return status;
    }
}
