package dev.nnc.compiler;

import dev.nnc.runtime.ModelClass;

/** Defines a freshly compiled model class in this JVM, for `nnc train` and the tests. */
public final class ModelLoader extends ClassLoader {
    private final CompiledModel compiled;

    private ModelLoader(CompiledModel compiled) {
        super(ModelLoader.class.getClassLoader());
        this.compiled = compiled;
    }

    public static ModelClass load(CompiledModel compiled) {
        return ModelClass.load(compiled.className(), new ModelLoader(compiled));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.equals(compiled.className())) throw new ClassNotFoundException(name);
        byte[] bytes = compiled.classFile();
        return defineClass(name, bytes, 0, bytes.length);
    }
}
