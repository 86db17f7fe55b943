package dev.nnc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * One slot's rows for an epoch (see {@link SyncSteps}): for each step, the rows of its
 * part of that step's batch, in batch order.
 */
final class SlotRows implements Serializable {
    private static final long serialVersionUID = 1;

    /** A row on its way to its slot: its step, its place in the part, its inputs and targets. */
    record Row(int step, int place, float[] x, float[] y) implements Serializable {}

    private final int[] start;
    private final float[] x;
    private final float[] y;
    private final int width;
    private final int targetWidth;

    private SlotRows(int[] start, float[] x, float[] y, int width, int targetWidth) {
        this.start = start;
        this.x = x;
        this.y = y;
        this.width = width;
        this.targetWidth = targetWidth;
    }

    static SlotRows of(Iterator<scala.Tuple2<Integer, Row>> rows, int steps) {
        List<Row> list = new ArrayList<>();
        rows.forEachRemaining(t -> list.add(t._2()));
        list.sort(Comparator.comparingInt(Row::step).thenComparingInt(Row::place));
        int width = list.isEmpty() ? 0 : list.get(0).x().length;
        int targetWidth = list.isEmpty() ? 0 : list.get(0).y().length;
        int[] start = new int[steps + 1];
        float[] x = new float[list.size() * width];
        float[] y = new float[list.size() * targetWidth];
        for (int i = 0; i < list.size(); i++) {
            Row r = list.get(i);
            start[r.step() + 1]++;
            System.arraycopy(r.x(), 0, x, i * width, width);
            System.arraycopy(r.y(), 0, y, i * targetWidth, targetWidth);
        }
        for (int s = 0; s < steps; s++) start[s + 1] += start[s];
        return new SlotRows(start, x, y, width, targetWidth);
    }

    int count(int step) {
        return start[step + 1] - start[step];
    }

    float[] x(int step) {
        return Arrays.copyOfRange(x, start[step] * width, start[step + 1] * width);
    }

    float[] y(int step) {
        return Arrays.copyOfRange(y, start[step] * targetWidth, start[step + 1] * targetWidth);
    }
}
