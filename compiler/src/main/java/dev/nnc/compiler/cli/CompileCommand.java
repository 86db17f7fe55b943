package dev.nnc.compiler.cli;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelBundle;
import dev.nnc.compiler.emit.JarWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import javax.lang.model.SourceVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a model into a jar: runnable (java -jar MODEL.jar train) and usable from Java code",
                "(the typed class PACKAGE.ModelName, with load() and predict())."})
final class CompileCommand extends FileCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "JAR", description = "the jar to write (default: the model's name .jar)")
    Path output;

    @Option(names = "--package", paramLabel = "PACKAGE", description = "the package of the model classes (default: " + Compiler.DEFAULT_PACKAGE + ")")
    String packageName = Compiler.DEFAULT_PACKAGE;

    @Option(names = "--weights", paramLabel = "W", description = "trained weights to bundle: ModelName.load() reads them")
    Path weights;

    @Override
    public Integer call() throws IOException {
        if (!SourceVersion.isName(packageName)) {
            throw new ParameterException(spec.commandLine(), "--package: '" + packageName + "' is not a Java package name");
        }
        Compiler.jdkPackageOwner(packageName).ifPresent(owner -> {
            throw new ParameterException(spec.commandLine(), "--package: " + packageName + " belongs to " + owner
                    + "; name a package of your own, e.g. com.example.models");
        });
        ModelBundle bundle = ModelBundle.of(Compiler.compile(checked(source()), false, packageName), weights);
        Path jar = output != null ? output : Path.of(bundle.model().spec().name() + ".jar");
        JarWriter.write(jar, bundle.classes(), bundle.jarResources());
        out().println("wrote " + jar + " (" + bundle.model().typedClassName()
                + (weights != null ? ", with its weights" : "") + ")");
        return 0;
    }
}
