package dev.nnc.maven;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelBundle;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.weights.AtomicFiles;

import javax.lang.model.SourceVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code .nn} file under the source folder: its package, its weights (if any),
 * and the status file that says which compiler made what it produced in
 * {@code target/classes} the last time, which says whether it must be compiled again.
 */
final class ModelSource {
    /** Which compiler made the classes: another one (a new nnc, or a rebuilt snapshot) compiles again. */
    private static final String COMPILER = compilerIdentity();

    private final Path file;
    private final Path relative;
    private final Path status;
    private final Path classes;
    private final Path sources;

    /** {@code classes}: where the network classes and weights go; {@code sources}: where the typed class's source goes. */
    ModelSource(Path sourceRoot, Path file, Path statusRoot, Path classes, Path sources) {
        this.file = file;
        this.relative = sourceRoot.relativize(file);
        this.status = statusRoot.resolve(relative + ".outputs");
        this.classes = classes;
        this.sources = sources;
    }

    Path file() {
        return file;
    }

    private static String compilerIdentity() {
        String version = Compiler.class.getPackage().getImplementationVersion();
        try {
            Path code = Path.of(Compiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return "nnc " + version + " " + Files.getLastModifiedTime(code).toMillis();
        } catch (Exception e) {
            return "nnc " + version;
        }
    }

    /** The folder below the source root as a package; {@code nnc.models} for files at the root. */
    String packageName() {
        Path folder = relative.getParent();
        if (folder == null) return Compiler.DEFAULT_PACKAGE;
        String name = folder.toString().replace(folder.getFileSystem().getSeparator(), ".");
        if (!SourceVersion.isName(name)) {
            throw new UserError(file + ": error: the folder " + folder + " does not name a Java package ('" + name + "')");
        }
        Compiler.jdkPackageOwner(name).ifPresent(owner -> {
            throw new UserError(file + ": error: the folder " + folder + " names the package " + name + ", which belongs to " + owner
                    + "; move the file to a folder of your own package");
        });
        return name;
    }

    /** {@code iris.safetensors} beside {@code iris.nn}, or null. */
    Path weights() {
        String name = file.getFileName().toString();
        Path weights = file.resolveSibling(name.substring(0, name.length() - ".nn".length()) + ".safetensors");
        return Files.isRegularFile(weights) ? weights : null;
    }

    /** Compiled after the last change to the file and its weights, with every output still there. */
    boolean upToDate() throws IOException {
        if (!Files.isRegularFile(status)) return false;
        long compiled = Files.getLastModifiedTime(status).toMillis();
        Path weights = weights();
        List<String> outputs = Files.readAllLines(status);
        if (outputs.size() < 2 || !outputs.get(0).equals(COMPILER) || !outputs.get(1).equals(weights == null ? "no weights" : "weights")) {
            return false;
        }
        if (Files.getLastModifiedTime(file).toMillis() > compiled) return false;
        if (weights != null && Files.getLastModifiedTime(weights).toMillis() > compiled) return false;
        for (String o : outputs.subList(2, outputs.size())) {
            if (!Files.exists(Path.of(o))) return false;
        }
        return true;
    }

    /** Deletes what the last build of this file wrote: a renamed model leaves no stale classes. */
    void removeOutputs() throws IOException {
        if (!Files.isRegularFile(status)) return;
        List<String> outputs = Files.readAllLines(status);
        for (String o : outputs.subList(Math.min(2, outputs.size()), outputs.size())) Files.deleteIfExists(Path.of(o));
        Files.delete(status);
    }

    /**
     * Writes the network's class files and the weights, the typed class's source, then
     * the status file that lists them.
     */
    void write(ModelBundle bundle) throws IOException {
        List<String> written = new ArrayList<>();
        written.add(COMPILER);
        written.add(bundle.weights() == null ? "no weights" : "weights");
        for (Map.Entry<String, byte[]> c : bundle.model().classes().entrySet()) {
            written.add(write(classes.resolve(c.getKey().replace('.', '/') + ".class"), c.getValue()));
        }
        for (Map.Entry<String, byte[]> r : bundle.resources().entrySet()) {
            written.add(write(classes.resolve(r.getKey()), r.getValue()));
        }
        written.add(write(sources.resolve(bundle.model().typedSourcePath()),
                bundle.model().typedSource().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        AtomicFiles.write(status, String.join("\n", written) + "\n");
    }

    private static String write(Path file, byte[] contents) throws IOException {
        AtomicFiles.write(file, contents);
        return file.toAbsolutePath().toString();
    }
}
