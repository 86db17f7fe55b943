package dev.nnc.compiler.cli;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.emit.JarWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "compile", description = "Compile a model into a runnable jar (java -jar MODEL.jar train).")
final class CompileCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "JAR", description = "the jar to write (default: the model's name .jar)")
    Path output;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CompiledModel model = Compiler.compile(Sources.read(file));
        Path jar = output != null ? output : Path.of(model.spec().name() + ".jar");
        JarWriter.write(jar, model.classes());
        spec.commandLine().getOut().println("wrote " + jar + " (" + model.className() + ")");
        return 0;
    }
}
