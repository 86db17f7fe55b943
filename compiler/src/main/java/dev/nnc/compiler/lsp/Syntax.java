package dev.nnc.compiler.lsp;

import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.syntax.Ast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Questions about the syntax tree an editor asks: every expression, the names and their uses, the word at a place. */
final class Syntax {
    private Syntax() {}

    /** Every expression of the file, each call's arguments and each pipe's parts included (without recursion). */
    static List<Ast.Expr> expressions(Ast.Model ast) {
        Deque<Ast.Expr> todo = new ArrayDeque<>();
        for (Ast.Member m : ast.members()) {
            if (m instanceof Ast.InputMember i) {
                todo.addAll(i.shape());
                i.preprocess().ifPresent(todo::add);
            } else if (m instanceof Ast.TensorMember t) {
                todo.add(t.value());
            } else if (m instanceof Ast.CallMember c) {
                todo.add(c.call());
            } else if (m instanceof Ast.TargetMember t) {
                todo.addAll(t.args());
            } else if (m instanceof Ast.TrainMember t) {
                for (Ast.Setting s : t.settings()) settingExpressions(s, todo);
            } else if (m instanceof Ast.DataMember d) {
                d.sources().forEach(s -> todo.add(s.call()));
            }
        }
        List<Ast.Expr> all = new ArrayList<>();
        while (!todo.isEmpty()) {
            Ast.Expr e = todo.pop();
            all.add(e);
            if (e instanceof Ast.Call c) c.arguments().forEach(a -> todo.push(a.value()));
            else if (e instanceof Ast.Pipe p) {
                todo.push(p.input());
                todo.push(p.call());
            } else if (e instanceof Ast.Binary b) {
                todo.push(b.left());
                todo.push(b.right());
            } else if (e instanceof Ast.Negate n) todo.push(n.operand());
            else if (e instanceof Ast.Paren p) todo.push(p.inner());
        }
        return all;
    }

    private static void settingExpressions(Ast.Setting s, Deque<Ast.Expr> todo) {
        if (s instanceof Ast.CallSetting c) c.arguments().forEach(a -> todo.add(a.value()));
        else if (s instanceof Ast.ValueSetting v) todo.addAll(v.values());
        else if (s instanceof Ast.PeriodSetting p) todo.add(p.period());
        else if (s instanceof Ast.ConditionSetting c) {
            todo.add(c.left());
            todo.add(c.right());
        }
    }

    /** The input, target and tensors, each with its definition and every use as a bare name. */
    static Map<String, DocumentAnalysis.Name> names(Ast.Model ast) {
        Map<String, Span> definitions = new LinkedHashMap<>();
        for (Ast.Member m : ast.members()) {
            if (m instanceof Ast.InputMember i) definitions.putIfAbsent(i.name().text(), i.name().span());
            else if (m instanceof Ast.TargetMember t) definitions.putIfAbsent(t.name().text(), t.name().span());
            else if (m instanceof Ast.TensorMember t) definitions.putIfAbsent(t.name().text(), t.name().span());
        }
        Map<String, List<Span>> uses = new LinkedHashMap<>();
        for (Ast.Expr e : expressions(ast)) {
            if (e instanceof Ast.Call c && !c.parentheses() && definitions.containsKey(c.name().text())) {
                uses.computeIfAbsent(c.name().text(), k -> new ArrayList<>()).add(c.name().span());
            }
        }
        Map<String, DocumentAnalysis.Name> names = new LinkedHashMap<>();
        definitions.forEach((name, span) -> names.put(name, new DocumentAnalysis.Name(name, span,
                uses.getOrDefault(name, List.of()).stream().sorted(java.util.Comparator.comparingInt(Span::line)
                        .thenComparingInt(Span::column)).toList())));
        return names;
    }

    /** The name of the function or setting written at this place. */
    static Optional<String> wordAt(Ast.Model ast, int line, int column) {
        if (ast == null) return Optional.empty();
        for (Ast.Expr e : expressions(ast)) {
            if (e instanceof Ast.Call c && DocumentAnalysis.inside(c.name().span(), line, column)) return Optional.of(c.name().text());
        }
        for (Ast.Member m : ast.members()) {
            if (m instanceof Ast.TrainMember t) {
                for (Ast.Setting s : t.settings()) {
                    if (DocumentAnalysis.inside(s.name().span(), line, column)) return Optional.of(s.name().text());
                }
            }
        }
        return Optional.empty();
    }

    /** The call of the pipe or call whose span this is: what a stage applies. */
    static Optional<Span> lastCall(Ast.Model ast, Span stage) {
        if (ast == null) return Optional.empty();
        for (Ast.Expr e : expressions(ast)) {
            if (!e.span().equals(stage)) continue;
            if (e instanceof Ast.Pipe p) return Optional.of(p.call().span());
            if (e instanceof Ast.Call c) return Optional.of(c.span());
        }
        return Optional.empty();
    }
}
