package dev.nnc.compiler.source;

import java.util.Collection;
import java.util.Optional;

/** "did you mean ...?" for a misspelt name, by edit distance. */
public final class Suggestions {
    private Suggestions() {}

    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(name.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        if (best != null && bestDistance <= allowed) return Optional.of(best);
        // Abbreviations: 'lr' for 'learning_rate', 'val_acc' for 'val_accuracy'.
        for (String candidate : candidates) {
            if (abbreviates(candidate, name) || abbreviates(name, candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The short name starts like the long one and its letters appear in it in order. */
    private static boolean abbreviates(String shortName, String longName) {
        if (shortName.length() < 2 || shortName.length() >= longName.length()
                || shortName.charAt(0) != longName.charAt(0)) {
            return false;
        }
        int j = 0;
        for (int i = 0; i < longName.length() && j < shortName.length(); i++) {
            if (longName.charAt(i) == shortName.charAt(j)) j++;
        }
        return j == shortName.length();
    }

    /** The message tail: "; did you mean 'x'?" or nothing. */
    public static String didYouMean(String name, Collection<String> candidates) {
        return closest(name, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
