package dev.nnc.compiler.cli;

import dev.nnc.compiler.DeepStack;
import dev.nnc.compiler.source.CompileError;
import dev.nnc.compiler.source.CompilerBug;
import dev.nnc.compiler.source.Diagnostic;
import dev.nnc.runtime.cli.ErrorReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code nnc} command: one subcommand per class. */
@Command(name = "nnc", mixinStandardHelpOptions = true, version = "nnc 0.1.0",
        description = "The compiler for .nn neural network programs.",
        subcommands = {CheckCommand.class, CompileCommand.class, TrainCommand.class, SummaryCommand.class, ExplainCommand.class, EvalCommand.class, PredictCommand.class, ExportCommand.class, LspCommand.class, GradcheckCommand.class, FmtCommand.class, CommandLine.HelpCommand.class})
public final class Nnc {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command with its output and errors going to the given writers, on a thread with a deep stack. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return DeepStack.run(() -> runHere(out, err, args));
    }

    private static int runHere(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Nnc());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Nnc::handle);
        int status;
        try {
            status = cli.execute(args);
        } catch (OutOfMemoryError e) {
            status = ErrorReport.outOfMemory(err);
        } catch (StackOverflowError e) {
            err.println("error: the program nests too deeply for nnc to follow, even with a " + (DeepStack.BYTES >> 20)
                    + " MB stack; split its expressions into named tensors");
            status = 1;
        }
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The one place errors reach the user: diagnostics and data errors are printed as
     * they are (exit 1); anything else is a bug in nnc, reported as one (exit 3). A
     * stack trace only with {@code --debug}.
     */
    static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (!(e instanceof CompileError c)) {
            return ErrorReport.report(e, cli, parsed, e instanceof CompilerBug ? "internal compiler error" : "internal error");
        }
        PrintWriter err = cli.getErr();
        for (Diagnostic d : c.diagnostics()) err.println(d.render());
        if (ErrorReport.debug(parsed)) e.printStackTrace(err);
        err.flush();
        return 1;
    }
}
