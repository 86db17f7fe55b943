package dev.nnc.compiler.emit;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.cli.ModelMain;
import dev.nnc.runtime.weights.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.*;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Writes a runnable jar: the model's classes, the runtime (prediction and training),
 * picocli and protobuf-java (for export), and a manifest naming the runtime's entry
 * point and the model.
 */
public final class JarWriter {
    /** The packages a model needs at run time, found wherever their classes were loaded from. */
    private static final List<Class<?>> RUNTIME_ANCHORS = List.of(Network.class, ModelMain.class,
            picocli.CommandLine.class, com.google.protobuf.CodedOutputStream.class);

    private JarWriter() {}

    /** {@code classes}: class files by binary name, the network class's first; {@code resources}: other files by path. */
    public static void write(Path jar, java.util.Map<String, byte[]> classes, java.util.Map<String, byte[]> resources)
            throws IOException {
        String className = classes.keySet().iterator().next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, "dev.nnc.runtime.cli.ModelMain");
        main.putValue("Nnc-Model", className);
        main.putValue("Created-By", "nnc");
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            Set<String> written = new HashSet<>();
            for (var c : classes.entrySet()) add(out, written, c.getKey().replace('.', '/') + ".class", c.getValue());
            for (var r : resources.entrySet()) add(out, written, r.getKey(), r.getValue());
            for (Class<?> anchor : RUNTIME_ANCHORS) copyPackage(out, written, anchor);
        }
        AtomicFiles.write(jar, bytes.toByteArray());
    }

    /** Adds an entry unless one of that name is there (both runtimes may come from one shaded jar). */
    private static void add(JarOutputStream out, Set<String> written, String name, byte[] data) throws IOException {
        if (!written.add(name)) return;
        out.putNextEntry(new ZipEntry(name));
        out.write(data);
        out.closeEntry();
    }

    /** Copies every class under dev/nnc/runtime (for nnc's anchors) or the anchor's package, from where it was loaded. */
    private static void copyPackage(JarOutputStream out, Set<String> written, Class<?> anchor) throws IOException {
        String packagePath = anchor.getPackageName().startsWith("dev.nnc.runtime") ? "dev/nnc/runtime/"
                : anchor.getPackageName().replace('.', '/') + "/";
        Path source;
        try {
            source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the classes of " + anchor, e);
        }
        if (Files.isDirectory(source)) {
            Path root = source.resolve(packagePath);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    add(out, written, packagePath + root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream().sorted(java.util.Comparator.comparing(JarEntry::getName))::iterator) {
                if (e.isDirectory() || !e.getName().startsWith(packagePath)) continue;
                try (InputStream in = jar.getInputStream(e)) {
                    add(out, written, e.getName(), in.readAllBytes());
                }
            }
        }
    }
}
