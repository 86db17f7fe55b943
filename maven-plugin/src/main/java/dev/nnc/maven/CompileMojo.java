package dev.nnc.maven;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.DeepStack;
import dev.nnc.compiler.ModelBundle;
import dev.nnc.compiler.source.CompileError;
import dev.nnc.compiler.source.Diagnostic;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.UserError;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compiles every {@code .nn} file under {@code src/main/nn}: the typed class named like
 * the model, in the package that follows the file's folder
 * ({@code src/main/nn/com/example/flowers/iris.nn} gives {@code com.example.flowers.Iris};
 * files directly in {@code src/main/nn} go to {@code nnc.models}), as Java source with
 * javadoc in {@code target/generated-sources/nnc}, a source folder of the project that
 * its compiler compiles (as antlr4-maven-plugin does); its network class into
 * {@code target/classes}; and the weights file beside the model and named like it
 * ({@code iris.safetensors}), checked against the model, where {@code Iris.load()} finds it.
 *
 * <p>Bound to {@code generate-sources}, as antlr4-maven-plugin is, so that the
 * project's own Java code compiles against the model classes. A file is compiled again
 * only when it, or its weights, changed since the last build.
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class CompileMojo extends AbstractMojo {

    /** Where the {@code .nn} files are; the folders below it name the packages. */
    @Parameter(property = "nnc.sourceDirectory", defaultValue = "${project.basedir}/src/main/nn")
    File sourceDirectory;

    /** Where the network classes and the bundled weights go. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    File outputDirectory;

    /** Where the typed classes' sources go: a source folder of the project, compiled with its Java code. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/nnc", required = true)
    File generatedSourcesDirectory;

    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    /** What each source produced in the last build, to skip unchanged files and remove stale classes. */
    @Parameter(defaultValue = "${project.build.directory}/nnc-status", readonly = true)
    File statusDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path sources = sourceDirectory.toPath();
        if (!Files.isDirectory(sources)) {
            getLog().debug("nnc: no source directory " + sources);
            return;
        }
        if (project != null) project.addCompileSourceRoot(generatedSourcesDirectory.getPath());
        List<Path> models;
        try (Stream<Path> files = Files.walk(sources)) {
            models = files.filter(f -> f.toString().endsWith(".nn") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("nnc: cannot list " + sources, e);
        }
        int compiled = 0;
        int failed = 0;
        for (Path model : models) {
            ModelSource source = new ModelSource(sources, model, statusDirectory.toPath(), outputDirectory.toPath(),
                    generatedSourcesDirectory.toPath());
            try {
                if (source.upToDate()) continue;
                compile(source);
                compiled++;
            } catch (CompileError e) {
                for (Diagnostic d : e.diagnostics()) d.render().lines().forEach(getLog()::error);
                failed++;
            } catch (UserError e) {
                e.getMessage().lines().forEach(getLog()::error);
                failed++;
            } catch (IOException e) {
                throw new MojoExecutionException("nnc: cannot write the classes of " + model + ": " + e.getMessage(), e);
            }
        }
        if (failed > 0) {
            throw new MojoFailureException("nnc: " + failed + (failed == 1 ? " model has" : " models have") + " errors (see above)");
        }
        int unchanged = models.size() - compiled;
        getLog().info("nnc: compiled " + compiled + (compiled == 1 ? " model" : " models") + " into " + outputDirectory
                + (unchanged > 0 ? " (" + unchanged + " up to date)" : ""));
    }

    private void compile(ModelSource source) throws IOException {
        source.removeOutputs();
        ModelBundle bundle = DeepStack.run(() ->
                ModelBundle.of(Compiler.compile(read(source.file()), source.packageName()), source.weights()));
        source.write(bundle);
        getLog().debug("nnc: " + source.file() + " -> " + bundle.model().typedClassName()
                + (source.weights() != null ? " with " + source.weights().getFileName() : ""));
    }

    private static SourceFile read(Path file) {
        try {
            return SourceFile.read(file);
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
    }
}
