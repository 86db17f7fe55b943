package dev.nnc.spark;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled model as it travels to the executors: its class files, by binary name. An
 * executor defines them once per JVM with a class loader of its own (no jar to build
 * per model), and keeps a network per thread and batch size: tasks on one executor run
 * on several threads, and a network's buffers are one task's at a time.
 */
final class ModelBytes implements Serializable {
    private static final long serialVersionUID = 1;
    private static final Map<String, ModelClass> DEFINED = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<String, Network>> NETWORKS = ThreadLocal.withInitial(HashMap::new);

    private final String id;
    private final String className;
    private final LinkedHashMap<String, byte[]> classes;

    ModelBytes(String id, String className, Map<String, byte[]> classes) {
        this.id = id;
        this.className = className;
        this.classes = new LinkedHashMap<>(classes);
    }

    /** The model's classes, defined in this JVM (once). */
    ModelClass model() {
        return DEFINED.computeIfAbsent(id, key -> ModelClass.load(className, new Loader(classes)));
    }

    /** This thread's network of this model for batches of up to {@code maxBatch} rows. */
    Network network(int maxBatch) {
        return NETWORKS.get().computeIfAbsent(id + "/" + maxBatch, key -> model().create(maxBatch));
    }

    private static final class Loader extends ClassLoader {
        private final Map<String, byte[]> classes;

        Loader(Map<String, byte[]> classes) {
            super(Network.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) throw new ClassNotFoundException(name);
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
