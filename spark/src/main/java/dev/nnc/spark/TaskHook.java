package dev.nnc.spark;

import java.io.Serializable;

/** Runs in a task before it computes its share of a step (partition or slot, step): for tests that make a task fail once. */
public interface TaskHook extends Serializable {
    void before(int partition, int step);
}
