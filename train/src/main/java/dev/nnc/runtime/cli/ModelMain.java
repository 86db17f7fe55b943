package dev.nnc.runtime.cli;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.json.JsonRecords;
import dev.nnc.runtime.onnx.OnnxGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.jar.Manifest;

/**
 * The entry point of a compiled model's jar: {@code java -jar Model.jar train ...}.
 * The model class is named by the manifest's {@code Nnc-Model} attribute.
 */
@Command(name = "model", mixinStandardHelpOptions = true, subcommands = {ModelMain.Train.class, ModelMain.Eval.class, ModelMain.Predict.class, ModelMain.Export.class,
                CommandLine.HelpCommand.class},
        description = "A neural network compiled by nnc.")
public final class ModelMain {

    public static void main(String[] args) {
        relaunchWithVectorApi(args);
        CommandLine cli = new CommandLine(new ModelMain());
        ModelClass model = loadModel();
        cli.setCommandName(model.spec().name());
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommand() instanceof ModelCommand command) command.model = model;
        }
        cli.setExecutionExceptionHandler((e, c, parsed) -> ErrorReport.report(e, c, parsed, "internal error"));
        int status;
        try {
            status = cli.execute(args);
        } catch (OutOfMemoryError e) {
            status = ErrorReport.outOfMemory(cli.getErr());
        }
        System.exit(status);
    }

    /**
     * `java -jar Model.jar` cannot name the incubator module itself, so the jar starts
     * a second JVM that does, once, and exits with its status. -Dnnc.vector=false
     * keeps the first JVM (and the scalar loops).
     */
    private static void relaunchWithVectorApi(String[] args) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                || System.getProperty("nnc.relaunched") != null || "false".equals(System.getProperty("nnc.vector"))) {
            return;
        }
        try {
            Path jar = Path.of(ModelMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!jar.toString().endsWith(".jar")) return;
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-Dnnc.relaunched=true",
                    "-cp", jar.toString(), ModelMain.class.getName()));
            command.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(command).inheritIO().start();
            // Ctrl-C reaches the second JVM too (the same process group): it saves and exits, this one waits for it
            InterruptRequest.ignore();
            System.exit(p.waitFor());
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            // no second JVM: the scalar loops it is, as the model class will say
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ModelClass loadModel() {
        try (InputStream in = ModelMain.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            String name = in == null ? null : new Manifest(in).getMainAttributes().getValue("Nnc-Model");
            if (name == null) throw new IllegalStateException("the jar's manifest names no Nnc-Model");
            return ModelClass.load(name, ModelMain.class.getClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the jar's manifest", e);
        }
    }

    /** What every subcommand of a model jar has: the model, --debug, and where to print. */
    abstract static class ModelCommand {
        ModelClass model;

        @Option(names = "--debug", description = "show stack traces")
        boolean debug;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train the model and write its weights.")
    static final class Train extends ModelCommand implements Callable<Integer> {
        @Mixin
        TrainOptions options;

        @Override
        public Integer call() throws IOException {
            new TrainingSession(model, options, Path.of(""), out()).run();
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate trained weights on test data.")
    static final class Eval extends ModelCommand implements Callable<Integer> {
        @Mixin
        InferenceOptions options;

        @Override
        public Integer call() throws IOException {
            Inference.eval(model, options.weights, options.test, Path.of(""), options.out, out());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the model with trained weights as an ONNX file (opset 17).")
    static final class Export extends ModelCommand implements Callable<Integer> {
        @Mixin
        ExportOptions options;

        @Override
        public Integer call() throws IOException {
            try (InputStream in = ModelMain.class.getResourceAsStream("/" + OnnxGraph.RESOURCE)) {
                if (in == null) {
                    throw new UserError("error: this jar holds no ONNX graph: recompile it with a current nnc"
                            + " (nnc export FILE.nn says which layer has no ONNX translation, if one has none)");
                }
                OnnxGraph graph = JsonRecords.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), OnnxGraph.class);
                options.export(graph, model.spec(), out());
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict the rows of a CSV file with trained weights.")
    static final class Predict extends ModelCommand implements Callable<Integer> {
        @Mixin
        InferenceOptions options;

        @Override
        public Integer call() throws IOException {
            Inference.predict(model, options.weights, options.requireInput(), options.output, out());
            return 0;
        }
    }
}
