package dev.nnc.compiler;

import dev.nnc.runtime.ModelClass;

/** Defines a freshly compiled model class in this JVM, for `nnc train` and the tests. */
public final class ModelLoader extends ClassLoader {
    private final java.util.Map<String, byte[]> classes;

    private ModelLoader(java.util.Map<String, byte[]> classes) {
        super(ModelLoader.class.getClassLoader());
        this.classes = classes;
    }

    private ModelLoader(CompiledModel compiled) {
        this(compiled.classes());
    }

    public static ModelClass load(CompiledModel compiled) {
        return ModelClass.load(compiled.className(), new ModelLoader(compiled));
    }

    /** The typed class applications use ({@code nnc.models.Iris}), compiled and defined with its network class. */
    public static Class<?> typedClass(CompiledModel compiled) {
        try {
            return Class.forName(compiled.typedClassName(), true, new ModelLoader(compiled.classesWithTypedClass()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Defines the class without treating it as a float Network (the double-precision class). */
    public static Class<?> define(CompiledModel compiled) {
        try {
            return Class.forName(compiled.className(), true, new ModelLoader(compiled));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) throw new ClassNotFoundException(name);
        return defineClass(name, bytes, 0, bytes.length);
    }
}
