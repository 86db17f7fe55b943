package dev.nnc.compiler.lsp;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.ModelSummary;
import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.check.Layer;
import dev.nnc.compiler.check.Signatures;
import dev.nnc.compiler.source.CompileError;
import dev.nnc.compiler.source.Diagnostic;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.syntax.Ast;
import dev.nnc.compiler.syntax.Formatter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the editor shows of one version of a .nn file, from the compiler's front end
 * alone (parse and check, a few milliseconds): its diagnostics, and, when it checks,
 * every stage's shape, parameters and FLOPs for hovers and inlay hints; names and
 * their uses; the members for the outline; the formatted text. Lines and columns are
 * 1-based, as in nnc's diagnostics; the server turns them into LSP's positions.
 */
public final class DocumentAnalysis {
    /** A layer of the checked model, where the file writes it. */
    public record Stage(Span span, Layer layer, ModelSummary.Row row) {}

    /** A name of the file: where it is defined and where it is used. */
    public record Name(String text, Span definition, List<Span> uses) {}

    private final List<Diagnostic> diagnostics;
    private final Ast.Model ast;
    private final List<Stage> stages;
    private final Map<String, Name> names;

    private DocumentAnalysis(List<Diagnostic> diagnostics, Ast.Model ast, List<Stage> stages, Map<String, Name> names) {
        this.diagnostics = diagnostics;
        this.ast = ast;
        this.stages = stages;
        this.names = names;
    }

    public static DocumentAnalysis of(String name, String text) {
        SourceFile file = SourceFile.of(name, text);
        Ast.Model ast;
        try {
            ast = Frontend.parse(file);
        } catch (CompileError e) {
            return new DocumentAnalysis(e.diagnostics(), null, List.of(), Map.of());
        }
        Map<String, Name> names = Syntax.names(ast);
        try {
            Frontend.Checked checked = Frontend.check(file, ast);
            return new DocumentAnalysis(checked.warnings(), ast, stages(checked.model()), names);
        } catch (CompileError e) {
            return new DocumentAnalysis(e.diagnostics(), ast, List.of(), names);
        }
    }

    /** Every layer the output depends on, found without recursion (a pipeline may have thousands of stages). */
    private static List<Stage> stages(CheckedModel model) {
        Map<Layer, ModelSummary.Row> rows = ModelSummary.rowsByLayer(model);
        Map<Layer, Boolean> seen = new IdentityHashMap<>();
        List<Stage> stages = new ArrayList<>();
        Deque<Layer> todo = new ArrayDeque<>(List.of(model.output()));
        while (!todo.isEmpty()) {
            Layer layer = todo.pop();
            if (seen.put(layer, true) != null) continue;
            if (rows.containsKey(layer) && !(layer instanceof Layer.Input)) stages.add(new Stage(layer.span(), layer, rows.get(layer)));
            layer.inputs().forEach(todo::push);
        }
        stages.sort(Comparator.comparingInt((Stage s) -> s.span().endLine()).thenComparingInt(s -> s.span().endColumn()));
        return stages;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** What a hover at this place says: the stage written there, a name's shape, or a function's signature. */
    public Optional<String> hover(int line, int column) {
        Optional<Name> name = nameAt(line, column);
        if (name.isPresent()) {
            Optional<Stage> defined = stages.stream().filter(s -> name.get().definition() != null
                    && s.span().equals(valueSpan(name.get().text()))).findFirst();
            String shape = defined.map(s -> String.valueOf(s.row().shape())).orElse(inputShape(name.get().text()));
            if (shape != null) return Optional.of("`" + name.get().text() + "`: " + shape);
        }
        Optional<Stage> stage = stages.stream().filter(s -> inside(s.span(), line, column))
                .min(Comparator.comparingInt((Stage s) -> s.span().endLine()).thenComparingInt(s -> s.span().endColumn()));
        if (stage.isPresent() && onLastCall(stage.get(), line, column)) return Optional.of(describe(stage.get()));
        Optional<String> word = Syntax.wordAt(ast, line, column);
        return word.flatMap(w -> Signatures.named(w).stream().findFirst()).map(s -> "`" + s.describe() + "`");
    }

    /** A stage's hover: its kind, output shape, parameters and FLOPs per sample. */
    static String describe(Stage s) {
        ModelSummary.Row r = s.row();
        return String.format(Locale.ROOT, "**%s** (%s) → `%s`  \n%,d parameters · %,d FLOPs per sample", r.name(), r.kind(),
                r.shape(), r.parameters(), r.flops());
    }

    /** The shape after each stage, at its end. */
    public List<Hint> inlayHints() {
        List<Hint> hints = new ArrayList<>();
        for (Stage s : stages) {
            if (s.layer() instanceof Layer.Add) continue; // a sum's shape is its operands'
            hints.add(new Hint(s.span().endLine(), s.span().endColumn(), " " + s.row().shape()));
        }
        return hints;
    }

    public record Hint(int line, int column, String label) {}

    public Optional<Span> definition(int line, int column) {
        return nameAt(line, column).map(Name::definition);
    }

    public List<Span> references(int line, int column) {
        return nameAt(line, column).map(n -> {
            List<Span> all = new ArrayList<>();
            if (n.definition() != null) all.add(n.definition());
            all.addAll(n.uses());
            return all;
        }).orElse(List.of());
    }

    /** The members, for the outline. */
    public List<Symbol> symbols() {
        if (ast == null) return List.of();
        List<Symbol> symbols = new ArrayList<>();
        for (Ast.Member m : ast.members()) {
            if (m instanceof Ast.InputMember i) symbols.add(new Symbol(i.name().text(), "input", i.span()));
            else if (m instanceof Ast.TargetMember t) symbols.add(new Symbol(t.name().text(), "target", t.span()));
            else if (m instanceof Ast.TensorMember t) symbols.add(new Symbol(t.name().text(), t.output() ? "output" : "tensor", t.span()));
            else if (m instanceof Ast.CallMember c) symbols.add(new Symbol(c.call().name().text(), c.role().name().toLowerCase(Locale.ROOT), c.span()));
            else if (m instanceof Ast.TrainMember t) symbols.add(new Symbol("train", "train", t.span()));
            else if (m instanceof Ast.DataMember d) symbols.add(new Symbol("data", "data", d.span()));
        }
        return symbols;
    }

    public record Symbol(String name, String kind, Span span) {}

    /** The text as `nnc fmt` writes it, when the file parses. */
    public Optional<String> formatted() {
        return ast == null ? Optional.empty() : Optional.of(Formatter.format(ast));
    }

    public Map<String, Name> names() {
        return names;
    }

    private Optional<Name> nameAt(int line, int column) {
        for (Name n : names.values()) {
            if (n.definition() != null && inside(n.definition(), line, column)) return Optional.of(n);
            for (Span use : n.uses()) if (inside(use, line, column)) return Optional.of(n);
        }
        return Optional.empty();
    }

    private Span valueSpan(String name) {
        if (ast == null) return null;
        for (Ast.Member m : ast.members()) {
            if (m instanceof Ast.TensorMember t && t.name().text().equals(name)) return t.value().span();
        }
        return null;
    }

    private String inputShape(String name) {
        if (ast == null) return null;
        for (Ast.Member m : ast.members()) {
            if (m instanceof Ast.InputMember i && i.name().text().equals(name)) {
                return i.shape().stream().map(e -> e instanceof Ast.Num n ? n.text() : "?").toList().toString();
            }
        }
        return null;
    }

    /** Whether the place is on the stage's own call (the last one of its pipe), not on what feeds it. */
    private boolean onLastCall(Stage s, int line, int column) {
        Optional<Span> call = Syntax.lastCall(ast, s.span());
        return call.map(c -> inside(c, line, column)).orElse(true);
    }

    static boolean inside(Span s, int line, int column) {
        boolean afterStart = line > s.line() || (line == s.line() && column >= s.column());
        boolean beforeEnd = line < s.endLine() || (line == s.endLine() && column <= s.endColumn());
        return afterStart && beforeEnd;
    }
}
