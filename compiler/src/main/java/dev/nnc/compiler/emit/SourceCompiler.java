package dev.nnc.compiler.emit;

import dev.nnc.compiler.source.CompilerBug;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.predict.Model;

import javax.tools.*;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles generated Java source in memory with the JDK's javac, against nnc-runtime as
 * this JVM loaded it: how {@code nnc compile} and the tests turn a typed class's source
 * into a class file (nnc-maven-plugin leaves that to the project's own compiler).
 */
public final class SourceCompiler {
    private SourceCompiler() {}

    /** Class files by binary name, from one source file of the class {@code className}. */
    public static Map<String, byte[]> compile(String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new UserError("error: compiling the typed model class needs a JDK, and " + System.getProperty("java.home")
                    + " is a Java runtime without javac");
        }
        Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null);
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                classes.put(name, bytes);
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return bytes;
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("--release", "17", "-proc:none", "-classpath", runtimeLocation().toString());
        StringWriter out = new StringWriter();
        if (!javac.getTask(out, files, diagnostics, options, null, List.of(file)).call()) {
            throw new CompilerBug("the typed class " + className + " does not compile: " + diagnostics.getDiagnostics() + out);
        }
        Map<String, byte[]> result = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> result.put(name, bytes.toByteArray()));
        return result;
    }

    /** Where this JVM loaded nnc-runtime from: its jar, a classes folder, or nnc's own jar. */
    private static Path runtimeLocation() {
        try {
            return Path.of(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate nnc-runtime", e);
        }
    }
}
