package dev.nnc.maven;

import dev.nnc.compiler.cli.Nnc;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The goal on a project folder: packages from folders, bundled weights, recompiling only what changed, errors. */
class CompileMojoTest {
    static final Path IRIS = Path.of("../examples/iris/iris.nn");

    @TempDir
    Path project;
    Path nn;
    Path classes;
    Path sources;
    final List<String> errors = new ArrayList<>();
    final List<String> infos = new ArrayList<>();

    @BeforeEach
    void layout() throws Exception {
        nn = Files.createDirectories(project.resolve("src/main/nn/com/example/flowers"));
        classes = project.resolve("target/classes");
        sources = project.resolve("target/generated-sources/nnc");
        Files.copy(IRIS, nn.resolve("iris.nn"));
    }

    CompileMojo mojo() {
        CompileMojo mojo = new CompileMojo();
        mojo.sourceDirectory = project.resolve("src/main/nn").toFile();
        mojo.outputDirectory = classes.toFile();
        mojo.generatedSourcesDirectory = sources.toFile();
        mojo.statusDirectory = project.resolve("target/nnc-status").toFile();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void error(CharSequence content) {
                errors.add(content.toString());
            }

            @Override
            public void info(CharSequence content) {
                infos.add(content.toString());
            }
        });
        return mojo;
    }

    void train(Path into) {
        StringWriter err = new StringWriter();
        assertEquals(0, Nnc.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", IRIS.toString(),
                "--epochs", "2", "--out", into.toString(), "--quiet"), err.toString());
    }

    @Test
    void compilesIntoThePackageOfItsFolderWithItsWeights() throws Exception {
        train(project.resolve("run"));
        Files.copy(project.resolve("run/weights.safetensors"), nn.resolve("iris.safetensors"));
        Files.writeString(project.resolve("src/main/nn/top.nn"), Files.readString(IRIS).replace("model Iris", "model Top"));
        mojo().execute();
        for (String file : List.of("com/example/flowers/Iris$Network.class", "com/example/flowers/Iris.safetensors",
                "nnc/models/Top$Network.class")) {
            assertTrue(Files.exists(classes.resolve(file)), file);
        }
        assertFalse(Files.exists(classes.resolve("nnc/models/Top.safetensors")));
        String iris = Files.readString(sources.resolve("com/example/flowers/Iris.java"));
        assertTrue(iris.startsWith("package com.example.flowers;"), iris);
        assertTrue(iris.contains("public final class Iris extends Classifier"), iris);
        assertTrue(iris.contains("one of \"setosa\", \"versicolor\", \"virginica\""), "the javadoc names the classes: " + iris);
        assertTrue(Files.exists(sources.resolve("nnc/models/Top.java")));
        assertEquals(List.of(), errors);
    }

    @Test
    void recompilesOnlyWhatChanged() throws Exception {
        mojo().execute();
        Path typed = sources.resolve("com/example/flowers/Iris.java");
        FileTime first = Files.getLastModifiedTime(typed);
        mojo().execute();
        assertEquals(first, Files.getLastModifiedTime(typed));
        assertTrue(infos.get(infos.size() - 1).startsWith("nnc: compiled 0 models into") && infos.get(infos.size() - 1).endsWith("(1 up to date)"), infos.toString());

        // a renamed model replaces its old classes
        Files.writeString(nn.resolve("iris.nn"), Files.readString(IRIS).replace("model Iris", "model Flower"));
        Files.setLastModifiedTime(nn.resolve("iris.nn"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        mojo().execute();
        assertTrue(Files.exists(sources.resolve("com/example/flowers/Flower.java")));
        assertTrue(Files.exists(classes.resolve("com/example/flowers/Flower$Network.class")));
        assertFalse(Files.exists(typed));
        assertFalse(Files.exists(classes.resolve("com/example/flowers/Iris$Network.class")));
    }

    @Test
    void errorsFailTheBuildWithFileLineAndColumn() throws Exception {
        Files.copy(Path.of("../examples/bad_shapes.nn"), nn.resolve("bad_shapes.nn"));
        var failure = assertThrows(MojoFailureException.class, () -> mojo().execute());
        assertEquals("nnc: 1 model has errors (see above)", failure.getMessage());
        String bad = nn.resolve("bad_shapes.nn").toString();
        assertTrue(errors.stream().anyMatch(e -> e.matches("\\Q" + bad + "\\E:\\d+:\\d+: error: .*")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.strip().matches("\\^+")), "a caret line: " + errors);
        assertTrue(Files.exists(sources.resolve("com/example/flowers/Iris.java")), "the good model still compiles");
    }

    @Test
    void weightsOfAnotherModelFailTheBuild() throws Exception {
        Path sine = project.resolve("sine");
        assertEquals(0, Nnc.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "train",
                "../examples/sine/sine.nn", "--epochs", "1", "--out", sine.toString(), "--quiet"));
        Files.copy(sine.resolve("weights.safetensors"), nn.resolve("iris.safetensors"));
        assertThrows(MojoFailureException.class, () -> mojo().execute());
        assertEquals(List.of(nn.resolve("iris.safetensors") + ": error: these weights are for model Sine, not Iris"), errors);
    }

    @Test
    void aFolderThatNamesAJdkPackageFailsTheBuild() throws Exception {
        Path jdk = Files.createDirectories(project.resolve("src/main/nn/java/util"));
        Files.copy(IRIS, jdk.resolve("iris.nn"));
        assertThrows(MojoFailureException.class, () -> mojo().execute());
        assertTrue(errors.stream().anyMatch(e -> e.equals(jdk.resolve("iris.nn") + ": error: the folder java" + java.io.File.separator
                + "util names the package java.util, which belongs to the JDK (java.*); move the file to a folder of your own package")),
                errors.toString());
    }
}
