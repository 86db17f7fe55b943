package dev.nnc.compiler;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.compiler.check.ModelChecker;
import dev.nnc.compiler.source.Diagnostic;
import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.SourceFile;
import dev.nnc.compiler.syntax.Ast;
import dev.nnc.compiler.syntax.AstBuilder;

import java.util.List;

/** The phases that can find the user's mistakes: parse, then check. */
public final class Frontend {
    private Frontend() {}

    /** Parses; throws {@link dev.nnc.compiler.source.CompileError} with every syntax error. */
    public static Ast.Model parse(SourceFile file) {
        Diagnostics diagnostics = new Diagnostics(file);
        var model = new AstBuilder(diagnostics).build();
        diagnostics.throwIfErrors();
        return model.orElseThrow();
    }

    /** A checked model and the warnings its checks gave. */
    public record Checked(CheckedModel model, List<Diagnostic> warnings) {}

    /** Parses and checks; throws with every error of the first phase that has any. */
    public static CheckedModel check(SourceFile file) {
        return checkWithWarnings(file).model();
    }

    /** The same, keeping the warnings. */
    public static Checked checkWithWarnings(SourceFile file) {
        return check(file, parse(file));
    }

    /** Checks a file already parsed (an editor keeps the tree); throws with every error. */
    public static Checked check(SourceFile file, Ast.Model ast) {
        Diagnostics diagnostics = new Diagnostics(file);
        var checked = new ModelChecker(diagnostics).check(ast);
        diagnostics.throwIfErrors();
        return new Checked(checked.orElseThrow(), diagnostics.warnings());
    }
}
