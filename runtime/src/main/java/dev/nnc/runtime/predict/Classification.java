package dev.nnc.runtime.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The prediction of a class: the most likely class and every class's score. With a
 * softmax output (as {@code cross_entropy} needs) the scores are probabilities that sum
 * to 1; with {@code hinge} or {@code perceptron} they are the network's raw outputs.
 */
public final class Classification {
    private final List<String> names;
    private final float[] scores;
    private final int best;

    Classification(List<String> names, float[] scores) {
        this.names = names;
        this.scores = scores;
        int b = 0;
        for (int j = 1; j < scores.length; j++) if (scores[j] > scores[b]) b = j;
        this.best = b;
    }

    /** One class and its score. */
    public record Ranked(String label, int index, float probability) {}

    /** The predicted class's name as declared in the {@code .nn} file, or its index as text. */
    public String label() {
        return names.get(best);
    }

    /** The predicted class's index, in the order of declaration. */
    public int index() {
        return best;
    }

    /** The predicted class's probability (its score). */
    public float probability() {
        return scores[best];
    }

    /** Every class's probability, in the order of declaration (a copy). */
    public float[] probabilities() {
        return scores.clone();
    }

    /** The k most likely classes, most likely first (ties in the order of declaration). */
    public List<Ranked> top(int k) {
        if (k < 0) throw new IllegalArgumentException("top(" + k + "): k must not be negative");
        List<Ranked> all = new ArrayList<>(scores.length);
        for (int j = 0; j < scores.length; j++) all.add(new Ranked(names.get(j), j, scores[j]));
        all.sort(Comparator.comparingDouble((Ranked r) -> -r.probability()).thenComparingInt(Ranked::index));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    @Override
    public String toString() {
        return label() + " (" + probability() + ")";
    }
}
