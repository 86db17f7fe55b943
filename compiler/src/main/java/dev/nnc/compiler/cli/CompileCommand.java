package dev.nnc.compiler.cli;

import dev.nnc.compiler.CompiledModel;
import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.emit.JarWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "compile", mixinStandardHelpOptions = true, description = "Compile a model into a runnable jar (java -jar MODEL.jar train).")
final class CompileCommand extends FileCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "JAR", description = "the jar to write (default: the model's name .jar)")
    Path output;

    @Override
    public Integer call() throws IOException {
        CompiledModel model = Compiler.compile(source());
        Path jar = output != null ? output : Path.of(model.spec().name() + ".jar");
        JarWriter.write(jar, model.classes());
        out().println("wrote " + jar + " (" + model.className() + ")");
        return 0;
    }
}
