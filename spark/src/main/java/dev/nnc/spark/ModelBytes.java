package dev.nnc.spark;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled model as it travels to the executors: its class files, by binary name, in a
 * broadcast variable (so a task carries only this handle). An executor defines them once
 * per JVM with a class loader of its own (no jar to build per model), and keeps a
 * network per thread and batch size: tasks on one executor run on several threads, and
 * a network's buffers are one task's at a time.
 */
final class ModelBytes implements Serializable {
    private static final long serialVersionUID = 1;
    private static final Map<String, ModelClass> DEFINED = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<String, Network>> NETWORKS = ThreadLocal.withInitial(HashMap::new);

    private final String id;
    private final String className;
    private final Broadcast<LinkedHashMap<String, byte[]>> classes;

    ModelBytes(JavaSparkContext sc, String className, Map<String, byte[]> classes) {
        this.id = className + "/" + digest(classes);
        this.className = className;
        this.classes = sc.broadcast(new LinkedHashMap<>(classes));
    }

    /** The model's classes, defined in this JVM (once). */
    ModelClass model() {
        return DEFINED.computeIfAbsent(id, key -> ModelClass.load(className, new Loader(classes.value())));
    }

    /** The classes' digest: an executor defines a model's classes once, and other classes of the same name apart. */
    private static String digest(Map<String, byte[]> classes) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            classes.forEach((name, bytes) -> {
                sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(bytes);
            });
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void release() {
        classes.destroy();
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
