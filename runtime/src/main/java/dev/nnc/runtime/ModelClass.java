package dev.nnc.runtime;

import dev.nnc.runtime.spec.ModelSpec;

import java.lang.reflect.Constructor;

/** A compiled model class and its spec: makes instances sized for a batch. */
public record ModelClass(Class<? extends Network> type, ModelSpec spec) {

    public static ModelClass of(Class<?> type) {
        try {
            String json = (String) type.getField("SPEC").get(null);
            return new ModelClass(type.asSubclass(Network.class), ModelSpec.fromJson(json));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(type + " is not a compiled nnc model", e);
        }
    }

    public static ModelClass load(String className, ClassLoader loader) {
        try {
            return of(Class.forName(className, true, loader));
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no compiled model class " + className, e);
        }
    }

    public Network create(int maxBatch) {
        try {
            Constructor<? extends Network> constructor = type.getConstructor(int.class);
            return constructor.newInstance(maxBatch);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type, e);
        }
    }
}
