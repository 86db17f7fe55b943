package dev.nnc.compiler.lsp;

import dev.nnc.compiler.check.Signatures;
import dev.nnc.compiler.check.Signatures.Category;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What may be written at a place, read from the text before it (which need not parse,
 * since it is being typed): a call's named parameters inside its parentheses; layers
 * after {@code ->}; losses, optimizers, penalties, schedules and augmentations after
 * their keywords; settings in a train block; roles and sources in a data block;
 * members at the start of a line of the model; the model's names in an expression.
 */
final class Completions {
    enum Kind { FUNCTION, PARAMETER, KEYWORD, VARIABLE }

    record Item(String label, String insert, String detail, Kind kind) {}

    private static final List<String> MEMBERS = List.of("input", "target", "output", "loss", "optimizer", "penalty", "train", "data");

    private Completions() {}

    static List<Item> at(String text, int offset, Set<String> names) {
        String before = text.substring(0, Math.min(offset, text.length()));
        int wordStart = before.length();
        while (wordStart > 0 && (Character.isLetterOrDigit(before.charAt(wordStart - 1)) || before.charAt(wordStart - 1) == '_')) {
            wordStart--;
        }
        String context = before.substring(0, wordStart);
        String callee = openCall(context);
        if (callee != null) return parameters(callee);
        String trimmed = context.stripTrailing();
        if (trimmed.endsWith("->")) return functions(Category.LAYER);
        String line = context.substring(context.lastIndexOf('\n') + 1).strip();
        String block = enclosingBlock(context);
        if (line.startsWith("loss")) return functions(Category.LOSS);
        if (line.startsWith("optimizer")) return functions(Category.OPTIMIZER);
        if (line.startsWith("penalty")) return functions(Category.PENALTY);
        if (line.startsWith("schedule")) return functions(Category.SCHEDULE);
        if (line.startsWith("augment")) return functions(Category.AUGMENT);
        if (block.equals("train") && line.isEmpty()) return keywords(Signatures.TRAINING_SETTINGS);
        if (block.equals("data")) return line.isEmpty() ? keywords(List.of("train", "test")) : functions(Category.SOURCE);
        if (line.isEmpty()) return keywords(MEMBERS);
        List<Item> items = new ArrayList<>();
        names.forEach(n -> items.add(new Item(n, n, "a tensor of the model", Kind.VARIABLE)));
        items.addAll(functions(Category.LAYER));
        return items;
    }

    /** The name before the innermost parenthesis left open (within the block), or null. */
    private static String openCall(String text) {
        int at = unclosed(text, '(', ')', "{}");
        if (at < 0) return null;
        String word = wordBefore(text, at);
        return word.isEmpty() ? null : word;
    }

    /** The word before the innermost brace left open: the model's name, train or data. */
    private static String enclosingBlock(String text) {
        int at = unclosed(text, '{', '}', "");
        if (at < 0) return "";
        String word = wordBefore(text, at);
        return word.equals("train") || word.equals("data") ? word : "model";
    }

    /** Where the innermost {@code open} without its {@code close} is, scanning back; -1 at none or at a stop character. */
    private static int unclosed(String text, char open, char close, String stops) {
        int depth = 0;
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == close) depth++;
            else if (c == open && depth-- == 0) return i;
            else if (stops.indexOf(c) >= 0) return -1;
        }
        return -1;
    }

    /** The identifier just before {@code index}, spaces between allowed. */
    private static String wordBefore(String text, int index) {
        int end = index;
        while (end > 0 && text.charAt(end - 1) == ' ') end--;
        int start = end;
        while (start > 0 && (Character.isLetterOrDigit(text.charAt(start - 1)) || text.charAt(start - 1) == '_')) start--;
        return text.substring(start, end);
    }

    private static List<Item> parameters(String callee) {
        List<Item> items = new ArrayList<>();
        for (Signatures.Signature s : Signatures.named(callee)) {
            for (Signatures.Param p : s.params()) items.add(new Item(p.name(), p.name() + " = ", p.describe(), Kind.PARAMETER));
        }
        return items;
    }

    private static List<Item> functions(Category category) {
        return Signatures.names(category).stream().map(n -> {
            String detail = Signatures.lookup(category, n).map(Signatures.Signature::describe).orElse(n);
            return new Item(n, n, detail, Kind.FUNCTION);
        }).toList();
    }

    private static List<Item> keywords(List<String> words) {
        return words.stream().map(w -> new Item(w, w, w.equals("train") || w.equals("data") ? w + " { ... }" : w, Kind.KEYWORD)).toList();
    }
}
