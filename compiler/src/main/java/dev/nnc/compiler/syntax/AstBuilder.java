package dev.nnc.compiler.syntax;

import dev.nnc.compiler.source.Diagnostics;
import dev.nnc.compiler.source.Span;
import dev.nnc.compiler.syntax.Ast.*;
import dev.nnc.grammar.NnLexer;
import dev.nnc.grammar.NnParser;
import org.antlr.v4.runtime.*;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Text to AST: runs the ANTLR lexer and parser and turns the parse tree into
 * {@link Ast} records with spans. The only class of the compiler that sees ANTLR.
 * Syntax errors become diagnostics; the result is empty when there were any.
 */
public final class AstBuilder {
    private final Diagnostics diagnostics;

    public AstBuilder(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    public Optional<Model> build() {
        String text = diagnostics.file().text();
        NnLexer lexer = new NnLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        NnParser parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(new SyntaxErrorReporter());
        NnParser.ProgramContext program = parser.program();
        for (Token t : tokens.getTokens()) {
            if (t.getType() == NnLexer.UNEXPECTED_CHAR) {
                diagnostics.error(span(t), "unexpected character '" + t.getText() + "'");
            }
        }
        if (diagnostics.hasErrors()) return Optional.empty();
        return Optional.of(model(program.model(), comments(tokens)));
    }

    private List<Comment> comments(CommonTokenStream tokens) {
        List<Comment> comments = new ArrayList<>();
        for (Token t : tokens.getTokens()) {
            if (t.getType() == NnLexer.LINE_COMMENT || t.getType() == NnLexer.BLOCK_COMMENT) {
                comments.add(new Comment(t.getText(), span(t)));
            }
        }
        return comments;
    }

    private Model model(NnParser.ModelContext ctx, List<Comment> comments) {
        List<Member> members = ctx.member().stream().map(this::member).toList();
        return new Model(ident(ctx.name), members, comments, span(ctx));
    }

    private Member member(NnParser.MemberContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof NnParser.InputMemberContext c) {
            return new InputMember(ident(c.name), exprs(c.shape().expr()),
                    Optional.ofNullable(c.preprocess).map(this::call), span);
        } else if (ctx instanceof NnParser.TargetMemberContext c) {
            return new TargetMember(ident(c.name), ident(c.targetType().kind), exprs(c.targetType().expr()), span);
        } else if (ctx instanceof NnParser.OutputMemberContext c) {
            return new TensorMember(ident(c.name), expr(c.expr()), true, span);
        } else if (ctx instanceof NnParser.TensorMemberContext c) {
            return new TensorMember(ident(c.name), expr(c.expr()), false, span);
        } else if (ctx instanceof NnParser.LossMemberContext c) {
            return new CallMember(CallRole.LOSS, call(c.call()), span);
        } else if (ctx instanceof NnParser.OptimizerMemberContext c) {
            return new CallMember(CallRole.OPTIMIZER, call(c.call()), span);
        } else if (ctx instanceof NnParser.PenaltyMemberContext c) {
            return new CallMember(CallRole.PENALTY, call(c.call()), span);
        } else if (ctx instanceof NnParser.TrainMemberContext c) {
            return new TrainMember(c.setting().stream().map(this::setting).toList(), span);
        } else if (ctx instanceof NnParser.DataMemberContext c) {
            return new DataMember(c.source().stream()
                    .map(s -> new Source(ident(s.role), call(s.call()), span(s))).toList(), span);
        }
        throw new IllegalStateException("unknown member " + ctx.getClass());
    }

    private Setting setting(NnParser.SettingContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof NnParser.CallSettingContext c) {
            return new CallSetting(ident(c.name), arguments(c.arguments()), span);
        } else if (ctx instanceof NnParser.PeriodSettingContext c) {
            return new PeriodSetting(ident(c.name), expr(c.expr()), span);
        } else if (ctx instanceof NnParser.ChainSettingContext c) {
            return new ValueSetting(ident(c.name), exprs(c.expr()), span);
        } else if (ctx instanceof NnParser.ConditionSettingContext c) {
            return new ConditionSetting(ident(c.name), expr(c.expr(0)), c.op.getText(), expr(c.expr(1)), span);
        } else if (ctx instanceof NnParser.ValueSettingContext c) {
            return new ValueSetting(ident(c.name), List.of(expr(c.expr())), span);
        }
        throw new IllegalStateException("unknown setting " + ctx.getClass());
    }

    private Expr expr(NnParser.ExprContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof NnParser.PipeExprContext c) {
            return new Pipe(expr(c.expr()), call(c.call()), span);
        } else if (ctx instanceof NnParser.NegateExprContext c) {
            return new Negate(expr(c.expr()), span);
        } else if (ctx instanceof NnParser.ProductExprContext c) {
            return new Binary(expr(c.expr(0)), c.op.getText(), expr(c.expr(1)), span);
        } else if (ctx instanceof NnParser.SumExprContext c) {
            return new Binary(expr(c.expr(0)), c.op.getText(), expr(c.expr(1)), span);
        } else if (ctx instanceof NnParser.NumberExprContext c) {
            boolean percent = c.PERCENT() != null;
            String text = c.NUMBER().getText();
            double value = Double.parseDouble(text);
            return new Num(percent ? value / 100 : value, text, percent, span);
        } else if (ctx instanceof NnParser.StringExprContext c) {
            return new Str(unquote(c.STRING().getText()), span);
        } else if (ctx instanceof NnParser.CallExprContext c) {
            return call(c.call());
        } else if (ctx instanceof NnParser.ParenExprContext c) {
            return new Paren(expr(c.expr()), span);
        }
        throw new IllegalStateException("unknown expression " + ctx.getClass());
    }

    private Call call(NnParser.CallContext ctx) {
        return new Call(ident(ctx.name), arguments(ctx.arguments()), ctx.LPAREN() != null, span(ctx));
    }

    private List<Argument> arguments(NnParser.ArgumentsContext ctx) {
        if (ctx == null) return List.of();
        return ctx.argument().stream()
                .map(a -> new Argument(Optional.ofNullable(a.name).map(this::ident), expr(a.expr()), span(a)))
                .toList();
    }

    private List<Expr> exprs(List<NnParser.ExprContext> contexts) {
        return contexts.stream().map(this::expr).toList();
    }

    private Ident ident(NnParser.IdentContext ctx) {
        return new Ident(ctx.getText(), span(ctx));
    }

    private static String unquote(String quoted) {
        String body = quoted.substring(1, quoted.length() - 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char next = body.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static Span span(ParserRuleContext ctx) {
        Token stop = ctx.getStop() != null && ctx.getStop().getTokenIndex() >= ctx.getStart().getTokenIndex()
                ? ctx.getStop() : ctx.getStart();
        return span(ctx.getStart()).to(span(stop));
    }

    static Span span(Token token) {
        int line = token.getLine();
        int column = token.getCharPositionInLine() + 1;
        String text = token.getType() == Token.EOF ? " " : token.getText();
        int newlines = (int) text.chars().filter(ch -> ch == '\n').count();
        if (newlines == 0) return new Span(line, column, line, column + Math.max(1, text.length()));
        return new Span(line, column, line + newlines, text.length() - text.lastIndexOf('\n'));
    }

    /** Turns ANTLR's messages into ours: what was found, and what could come there. */
    private final class SyntaxErrorReporter extends BaseErrorListener {
        private final java.util.Set<Integer> linesWithErrors = new java.util.HashSet<>();

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                                String antlrMessage, RecognitionException e) {
            // After an error the parser resynchronises; what it trips on next in the same line is an echo.
            if (!linesWithErrors.add(line)) return;
            Token token = (Token) offendingSymbol;
            Span span = token == null ? new Span(line, column + 1, line, column + 2) : span(token);
            String message = token == null ? antlrMessage : "unexpected " + describe(token)
                    + expected(((Parser) recognizer).getExpectedTokens(), recognizer.getVocabulary());
            diagnostics.error(span, message);
        }

        private String describe(Token token) {
            return switch (token.getType()) {
                case Token.EOF -> "end of file";
                case NnLexer.NUMBER -> "number " + token.getText();
                case NnLexer.STRING -> "string " + token.getText();
                default -> "'" + token.getText() + "'";
            };
        }

        private String expected(IntervalSet expected, Vocabulary vocabulary) {
            List<String> names = new ArrayList<>();
            for (int type : expected.toList()) {
                if (type == NnLexer.IDENT) {
                    names.add("a name");
                } else if (type == Token.EOF) {
                    names.add("end of file");
                } else if (type >= NnLexer.ARROW && type <= NnLexer.GT) {
                    names.add(vocabulary.getLiteralName(type));
                } else if (type == NnLexer.NUMBER) {
                    names.add("a number");
                } else if (type == NnLexer.STRING) {
                    names.add("a string");
                }
            }
            if (names.isEmpty() || names.size() > 5) return "";
            return names.size() == 1 ? ", expected " + names.get(0)
                    : ", expected one of " + String.join(", ", names);
        }
    }
}
