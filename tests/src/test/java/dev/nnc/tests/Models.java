package dev.nnc.tests;

import dev.nnc.compiler.Compiler;
import dev.nnc.compiler.ModelLoader;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.runtime.ModelClass;

/** Compiles a program given as text, for tests. */
final class Models {
    private Models() {}

    static ModelClass compile(String program) {
        return ModelLoader.load(Compiler.compile(SourceFile.of("test.nn", program)));
    }

    /** x: [1] -> dense(1) -> y: real[1] with mse and the given optimizer and members. */
    static ModelClass line(String optimizer, String extra) {
        return compile("""
                model Line {
                    input  x: [1]
                    target y: real[1]
                    output p = x -> dense(1)
                    loss      mse(p, y)
                    optimizer %s
                    %s
                }
                """.formatted(optimizer, extra));
    }
}
