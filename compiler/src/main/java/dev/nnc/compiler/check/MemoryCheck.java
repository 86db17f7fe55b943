package dev.nnc.compiler.check;

import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.runtime.spec.TrainSpec;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Whether training the model fits the JVM's heap, before anything is allocated: its
 * parameters with their gradients and optimizer state, the gradients of the replicas
 * that compute the parts of a batch, and the activations of a batch, forward and
 * backward. Too much is an error at the largest dense layer, with the figures.
 */
public final class MemoryCheck {
    /** The heap to hold the model to: the system property {@code nnc.maxHeap} (bytes, for tests) or this JVM's. */
    public static long heap() {
        return Long.getLong("nnc.maxHeap", Runtime.getRuntime().maxMemory());
    }

    private long parameters;
    private long activations;
    private Layer largest;
    private long largestWeights = -1;

    /** Bytes that training the model needs, about: what {@link #check} holds against the heap, and `nnc summary` shows. */
    public static long trainingBytes(Layer output, Optimizer optimizer, TrainSpec train) {
        MemoryCheck m = new MemoryCheck();
        m.walk(output, Collections.newSetFromMap(new IdentityHashMap<>()));
        return m.bytes(optimizer, train);
    }

    private long bytes(Optimizer optimizer, TrainSpec train) {
        long batch = batch(train);
        long parts = (batch + 31) / 32;
        return 4 * (parameters * (2 + optimizer.stateSlots() + parts) + activations * batch * 4);
    }

    private static long batch(TrainSpec train) {
        return train.batch() == 0 ? 1024 : train.batch();
    }

    static void check(Layer output, Optimizer optimizer, TrainSpec train, Diagnostics diagnostics) {
        MemoryCheck m = new MemoryCheck();
        m.walk(output, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (m.largest == null) return;
        long batch = batch(train);
        long bytes = m.bytes(optimizer, train);
        if (bytes <= heap()) return;
        diagnostics.error(m.largest.span(), String.format(Locale.ROOT, "training this model needs about %s (%,d parameters "
                        + "with their gradients and optimizer state, and the activations of batches of %d), more than this "
                        + "JVM may use (%s): use fewer units, or give java more memory (-Xmx)",
                size(bytes), m.parameters, batch, size(heap())));
    }

    private void walk(Layer layer, Set<Layer> seen) {
        if (layer == null || !seen.add(layer) || layer.shape() == null) return;
        activations += layer.shape().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        long weights = layer.parameters();
        parameters += weights;
        if (weights > 0 && weights > largestWeights) {
            largestWeights = weights;
            largest = layer;
        }
        for (Layer input : layer.inputs()) walk(input, seen);
    }

    /** Bytes in whole KB, MB, or GB to a tenth: a small model's needs are not "0 MB". */
    public static String size(long bytes) {
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%.0f KB", Math.max(1, bytes / 1024.0));
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }
}
