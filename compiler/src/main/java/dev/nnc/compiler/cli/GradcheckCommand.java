package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.GradientCheck;
import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.DataSources;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.FeatureScaling;
import dev.nnc.runtime.spec.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "gradcheck", mixinStandardHelpOptions = true, description = "Check the generated backward pass against finite differences, in double precision.")
final class GradcheckCommand extends FileCommand implements Callable<Integer> {
    static final double TOLERANCE = 1e-6;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "4", description = "samples to check on (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "100",
            description = "entries checked per tensor; larger tensors get a random subset (default: ${DEFAULT-VALUE})")
    int entries;

    @Option(names = "--random", description = "random inputs of the declared shape instead of the model's data")
    boolean random;

    @Override
    public Integer call() {
        if (samples < 1 || entries < 1) throw new UserError("error: --samples and --entries must be at least 1");
        SourceFile source = source();
        CheckedModel model = checked(source);
        PrintWriter out = out();
        Dataset data = random ? null : data(model, source, out);
        GradientCheck.Report report = GradientCheck.run(model, samples, entries, 1, data);
        out.printf(Locale.ROOT, "%s: loss %.6g on %d %s samples, epsilon %.0e%n", model.name(), report.loss(),
                data == null ? samples : Math.min(samples, data.rows()), data == null ? "random" : "data", GradientCheck.EPSILON);
        out.printf("%-24s %8s %14s %14s%n", "tensor", "checked", "max abs error", "max rel error");
        for (GradientCheck.TensorResult t : report.tensors()) {
            out.printf(Locale.ROOT, "%-24s %8d %14.3e %14.3e%n", t.name(), t.checked(), t.maxAbsolute(), t.maxRelative());
        }
        GradientCheck.TensorResult worst = report.worst();
        boolean ok = worst.maxRelative() <= TOLERANCE;
        out.printf(Locale.ROOT, "%s: worst relative error %.3e in %s[%d] (tolerance %.0e)%n", ok ? "ok" : "FAILED",
                worst.maxRelative(), worst.name(), worst.worstIndex(), TOLERANCE);
        return ok ? 0 : 1;
    }

    /** The first rows of the model's training data, scaled as training would; null without data. */
    private static Dataset data(CheckedModel model, SourceFile source, PrintWriter out) {
        ModelSpec spec = Compiler.compile(model, false).spec();
        if (spec.data().train() == null) return null;
        try {
            Dataset d = DataSources.read(spec, spec.data().train(), source.directory());
            return FeatureScaling.apply(FeatureScaling.fit(spec.preprocessing(), d), d);
        } catch (UserError e) {
            out.println("(the model's data cannot be read, so random inputs: " + e.getMessage() + ")");
            return null;
        }
    }
}
