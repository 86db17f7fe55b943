package dev.nnc.compiler.lsp;

import dev.nnc.compiler.DeepStack;
import dev.nnc.compiler.source.Span;
import org.eclipse.lsp4j.*;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code nnc lsp}: the language server of .nn files, over LSP4J. Every change of a
 * document is analysed anew ({@link DocumentAnalysis}: parse and check, on a thread
 * with nnc's deep stack) and its diagnostics published; hovers, inlay hints,
 * completion, definitions, references, the outline and formatting read the latest
 * analysis. A failure inside a request becomes a log message and an empty answer:
 * the server keeps serving whatever the file holds.
 */
public final class NncLanguageServer implements LanguageServer, LanguageClientAware {
    private final Map<String, String> texts = new ConcurrentHashMap<>();
    private final Map<String, DocumentAnalysis> analyses = new ConcurrentHashMap<>();
    private final Documents documents = new Documents();
    private final Runnable onExit;
    private volatile LanguageClient client;

    /** {@code onExit}: what the {@code exit} notification does (ends the process, in {@code nnc lsp}). */
    public NncLanguageServer(Runnable onExit) {
        this.onExit = onExit;
    }

    @Override
    public void connect(LanguageClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        ServerCapabilities c = new ServerCapabilities();
        c.setTextDocumentSync(TextDocumentSyncKind.Full);
        c.setHoverProvider(true);
        c.setCompletionProvider(new CompletionOptions(false, List.of(">", "(", ",", " ")));
        c.setDefinitionProvider(true);
        c.setReferencesProvider(true);
        c.setDocumentSymbolProvider(true);
        c.setDocumentFormattingProvider(true);
        c.setInlayHintProvider(true);
        return CompletableFuture.completedFuture(new InitializeResult(c, new ServerInfo("nnc", "0.1.0")));
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        onExit.run();
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return new WorkspaceService() {
            @Override
            public void didChangeConfiguration(DidChangeConfigurationParams params) {
            }

            @Override
            public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
            }
        };
    }

    /** The latest analysis of a document (an empty one before it is opened). */
    DocumentAnalysis analysis(String uri) {
        return analyses.computeIfAbsent(uri, u -> DocumentAnalysis.of(u, ""));
    }

    private void analyse(String uri, String text) {
        texts.put(uri, text);
        DocumentAnalysis analysis = DeepStack.run(() -> DocumentAnalysis.of(displayName(uri), text));
        analyses.put(uri, analysis);
        LanguageClient c = client;
        if (c == null) return;
        List<Diagnostic> diagnostics = analysis.diagnostics().stream().map(d -> {
            Diagnostic out = new Diagnostic(range(d.span()), d.message());
            out.setSeverity(d.severity() == dev.nnc.compiler.source.Diagnostic.Severity.ERROR
                    ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning);
            out.setSource("nnc");
            return out;
        }).toList();
        c.publishDiagnostics(new PublishDiagnosticsParams(uri, diagnostics));
    }

    private static String displayName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    static Range range(Span s) {
        if (s.line() <= 0) return new Range(new Position(0, 0), new Position(0, 0));
        return new Range(new Position(s.line() - 1, s.column() - 1), new Position(s.endLine() - 1, s.endColumn() - 1));
    }

    /** Runs a request; on any failure, logs it and answers {@code fallback}. */
    private <T> CompletableFuture<T> safely(Supplier<T> request, T fallback) {
        try {
            return CompletableFuture.completedFuture(request.get());
        } catch (RuntimeException | StackOverflowError e) {
            LanguageClient c = client;
            if (c != null) c.logMessage(new MessageParams(MessageType.Error, "nnc lsp: " + e));
            return CompletableFuture.completedFuture(fallback);
        }
    }

    private void safely(Runnable notification) {
        safely(() -> {
            notification.run();
            return null;
        }, null);
    }

    private final class Documents implements TextDocumentService {
        @Override
        public void didOpen(DidOpenTextDocumentParams params) {
            safely(() -> analyse(params.getTextDocument().getUri(), params.getTextDocument().getText()));
        }

        @Override
        public void didChange(DidChangeTextDocumentParams params) {
            List<TextDocumentContentChangeEvent> changes = params.getContentChanges();
            if (changes.isEmpty()) return;
            safely(() -> analyse(params.getTextDocument().getUri(), changes.get(changes.size() - 1).getText()));
        }

        @Override
        public void didClose(DidCloseTextDocumentParams params) {
            String uri = params.getTextDocument().getUri();
            texts.remove(uri);
            analyses.remove(uri);
            LanguageClient c = client;
            if (c != null) c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
        }

        @Override
        public void didSave(DidSaveTextDocumentParams params) {
        }

        @Override
        public CompletableFuture<Hover> hover(HoverParams params) {
            return safely(() -> {
                Position p = params.getPosition();
                return analysis(params.getTextDocument().getUri()).hover(p.getLine() + 1, p.getCharacter() + 1)
                        .map(text -> new Hover(new MarkupContent(MarkupKind.MARKDOWN, text))).orElse(null);
            }, null);
        }

        @Override
        public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams params) {
            return safely(() -> analysis(params.getTextDocument().getUri()).inlayHints().stream().map(h -> {
                InlayHint hint = new InlayHint(new Position(h.line() - 1, h.column() - 1), Either.forLeft(h.label()));
                hint.setKind(InlayHintKind.Type);
                return hint;
            }).toList(), List.of());
        }

        @Override
        public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
            return safely(() -> {
                String uri = params.getTextDocument().getUri();
                String text = texts.getOrDefault(uri, "");
                int offset = offset(text, params.getPosition());
                List<CompletionItem> items = Completions.at(text, offset, analysis(uri).names().keySet()).stream().map(i -> {
                    CompletionItem item = new CompletionItem(i.label());
                    item.setInsertText(i.insert());
                    item.setDetail(i.detail());
                    item.setKind(switch (i.kind()) {
                        case FUNCTION -> CompletionItemKind.Function;
                        case PARAMETER -> CompletionItemKind.Property;
                        case KEYWORD -> CompletionItemKind.Keyword;
                        case VARIABLE -> CompletionItemKind.Variable;
                    });
                    return item;
                }).toList();
                return Either.forLeft(items);
            }, Either.forLeft(List.of()));
        }

        @Override
        public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(DefinitionParams params) {
            return safely(() -> {
                String uri = params.getTextDocument().getUri();
                Position p = params.getPosition();
                List<Location> found = analysis(uri).definition(p.getLine() + 1, p.getCharacter() + 1).stream()
                        .map(s -> new Location(uri, range(s))).toList();
                return Either.forLeft(found);
            }, Either.forLeft(List.of()));
        }

        @Override
        public CompletableFuture<List<? extends Location>> references(ReferenceParams params) {
            return safely(() -> {
                String uri = params.getTextDocument().getUri();
                Position p = params.getPosition();
                return analysis(uri).references(p.getLine() + 1, p.getCharacter() + 1).stream()
                        .map(s -> new Location(uri, range(s))).toList();
            }, List.of());
        }

        @Override
        public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams params) {
            return safely(() -> analysis(params.getTextDocument().getUri()).symbols().stream().map(s -> {
                SymbolKind kind = switch (s.kind()) {
                    case "input", "target", "output", "tensor" -> SymbolKind.Variable;
                    case "train", "data" -> SymbolKind.Namespace;
                    default -> SymbolKind.Function;
                };
                DocumentSymbol symbol = new DocumentSymbol(s.name(), kind, range(s.span()), range(s.span()), s.kind());
                return Either.<SymbolInformation, DocumentSymbol>forRight(symbol);
            }).toList(), List.of());
        }

        @Override
        public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
            return safely(() -> {
                String uri = params.getTextDocument().getUri();
                String text = texts.getOrDefault(uri, "");
                return analysis(uri).formatted().filter(f -> !f.equals(text))
                        .map(f -> List.of(new TextEdit(new Range(new Position(0, 0), end(text)), f))).orElse(List.of());
            }, List.of());
        }
    }

    /** The character offset of an LSP position (lines end with \n; a position past a line's end stops at it). */
    static int offset(String text, Position p) {
        int offset = 0;
        for (int line = 0; line < p.getLine() && offset < text.length(); line++) {
            int next = text.indexOf('\n', offset);
            if (next < 0) return text.length();
            offset = next + 1;
        }
        int lineEnd = text.indexOf('\n', offset);
        return Math.min(offset + p.getCharacter(), lineEnd < 0 ? text.length() : lineEnd);
    }

    private static Position end(String text) {
        int line = 0;
        int lastBreak = -1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        return new Position(line, text.length() - lastBreak - 1);
    }
}
