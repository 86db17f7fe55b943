package dev.nnc.tests;

import dev.nnc.compiler.lsp.DocumentAnalysis;
import dev.nnc.compiler.lsp.NncLanguageServer;
import dev.nnc.runtime.Rng;
import org.eclipse.lsp4j.*;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `nnc lsp` driven through LSP4J's own client launcher over a pipe, as an editor drives
 * it: diagnostics as the text changes (the same as `nnc check`), hovers, inlay hints,
 * completion, definitions, references, the outline and formatting; and a thousand
 * random edits that never stop it or leave a stale diagnostic.
 */
class LanguageServerTest {
    private static final String URI = "file:///work/fashion.nn";

    /** The editor's side: keeps what the server publishes. */
    static final class Client implements LanguageClient {
        final LinkedBlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> log = new LinkedBlockingQueue<>();

        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            diagnostics.add(params);
        }

        @Override
        public void showMessage(MessageParams params) {
            log.add(params.getMessage());
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams params) {
            log.add(params.getMessage());
        }
    }

    private final Client client = new Client();
    private LanguageServer server;
    private String text;
    private int version;

    @BeforeEach
    void start() throws Exception {
        PipedInputStream serverIn = new PipedInputStream(1 << 20);
        PipedOutputStream clientOut = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 20);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        NncLanguageServer nnc = new NncLanguageServer(() -> { });
        Launcher<LanguageClient> serverSide = LSPLauncher.createServerLauncher(nnc, serverIn, serverOut);
        nnc.connect(serverSide.getRemoteProxy());
        serverSide.startListening();
        Launcher<LanguageServer> clientSide = LSPLauncher.createClientLauncher(client, clientIn, clientOut);
        clientSide.startListening();
        server = clientSide.getRemoteProxy();
        InitializeResult init = server.initialize(new InitializeParams()).get(30, TimeUnit.SECONDS);
        assertTrue(init.getCapabilities().getHoverProvider().getLeft());
        text = Files.readString(Path.of("examples/fashion/fashion.nn"));
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(URI, "nn", 0, text)));
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown().get(10, TimeUnit.SECONDS);
    }

    private List<Diagnostic> nextDiagnostics() throws InterruptedException {
        PublishDiagnosticsParams p = client.diagnostics.poll(30, TimeUnit.SECONDS);
        assertNotNull(p, "diagnostics published; log: " + client.log);
        return p.getDiagnostics();
    }

    private List<Diagnostic> change(String newText) throws InterruptedException {
        text = newText;
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(URI, ++version), List.of(new TextDocumentContentChangeEvent(newText))));
        return nextDiagnostics();
    }

    /** The LSP position of the first occurrence of a piece of the text, plus {@code into} characters. */
    private Position at(String piece, int into) {
        int offset = text.indexOf(piece) + into;
        assertTrue(offset >= into, piece);
        String before = text.substring(0, offset);
        int line = (int) before.chars().filter(c -> c == '\n').count();
        return new Position(line, offset - before.lastIndexOf('\n') - 1);
    }

    private TextDocumentIdentifier document() {
        return new TextDocumentIdentifier(URI);
    }

    @Test
    void theFashionExampleHasNoDiagnosticsAndItsShapesOnHoverAndInlay() throws Exception {
        assertEquals(List.of(), nextDiagnostics());

        Hover hover = server.getTextDocumentService().hover(new HoverParams(document(), at("dense(256)", 2))).get();
        String said = hover.getContents().getRight().getValue();
        assertTrue(said.contains("[256]") && said.contains("200,960 parameters"), said);

        List<InlayHint> hints = server.getTextDocumentService().inlayHint(new InlayHintParams(document(),
                new Range(new Position(0, 0), new Position(1000, 0)))).get();
        List<String> labels = hints.stream().map(h -> h.getLabel().getLeft()).toList();
        assertTrue(labels.containsAll(List.of(" [256]", " [128]", " [10]")), labels.toString());
        assertEquals(new Position(at("dense(256)", 0).getLine(), at("dense(256)", 10).getCharacter()),
                hints.stream().filter(h -> h.getLabel().getLeft().equals(" [256]")).findFirst().orElseThrow().getPosition());

        Hover onName = server.getTextDocumentService().hover(new HoverParams(document(), at("hidden ->", 1))).get();
        assertTrue(onName.getContents().getRight().getValue().contains("hidden"), onName.getContents().getRight().getValue());

        Hover onOptimizer = server.getTextDocumentService().hover(new HoverParams(document(), at("adam", 1))).get();
        assertTrue(onOptimizer.getContents().getRight().getValue().contains("lr: number"), onOptimizer.getContents().getRight().getValue());
    }

    @Test
    void typingAnErrorGivesNncChecksDiagnosticAndUndoingItClearsIt() throws Exception {
        nextDiagnostics();
        String original = text;
        long start = System.nanoTime();
        List<Diagnostic> error = change(original.replace("dense(256)", "dense(-1)"));
        System.out.printf("nnc lsp: diagnostics %.1f ms after the change%n", (System.nanoTime() - start) / 1e6);
        Path file = Files.createTempFile("typed", ".nn");
        Files.writeString(file, text);
        Cli check = Cli.run("check", file.toString());
        assertEquals(1, error.size(), error.toString());
        assertTrue(check.err().contains(error.get(0).getMessage()), check.err() + " / " + error.get(0).getMessage());
        Position where = at("dense(-1)", 0);
        assertEquals(where.getLine(), error.get(0).getRange().getStart().getLine());
        assertEquals(List.of(), change(original));
    }

    @Test
    void completionDefinitionReferencesOutlineAndFormatting() throws Exception {
        nextDiagnostics();
        List<String> afterArrow = labels(server.getTextDocumentService().completion(
                new CompletionParams(document(), at("-> relu", 3))).get().getLeft());
        assertTrue(afterArrow.containsAll(List.of("dense", "conv2d", "relu", "dropout")), afterArrow.toString());
        List<String> inDense = labels(server.getTextDocumentService().completion(
                new CompletionParams(document(), at("dense(256)", 6))).get().getLeft());
        assertEquals(List.of("units", "bias"), inDense);

        Position use = at("hidden ->", 1);
        List<? extends Location> definition = server.getTextDocumentService().definition(new DefinitionParams(document(), use)).get().getLeft();
        assertEquals(at("hidden =", 0).getLine(), definition.get(0).getRange().getStart().getLine());
        List<? extends Location> references = server.getTextDocumentService().references(
                new ReferenceParams(document(), use, new ReferenceContext(true))).get();
        assertEquals(2, references.size(), references.toString());

        List<String> outline = server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(document())).get().stream()
                .map(s -> s.getRight().getName()).toList();
        assertTrue(outline.containsAll(List.of("image", "kind", "hidden", "train", "data")), outline.toString());

        change(text.replace("    optimizer", "optimizer   "));
        List<? extends TextEdit> edits = server.getTextDocumentService().formatting(
                new DocumentFormattingParams(document(), new FormattingOptions(4, true))).get();
        assertEquals(1, edits.size());
        Cli fmt = Cli.run("fmt", "examples/fashion/fashion.nn");
        assertEquals(fmt.out(), edits.get(0).getNewText(), "what nnc fmt writes");
    }

    @Test
    void aThousandRandomEditsNeitherStopTheServerNorLeaveStaleDiagnostics() throws Exception {
        nextDiagnostics();
        String original = text;
        String[] junk = {"(", ")", "->", "dense", ",", "=", "{", "}", "1e99", "-1", "\"", "relu", "x", "%", "batch", "[", "]", "\n"};
        Rng rng = new Rng(9);
        String current = original;
        for (int edit = 0; edit < 1000; edit++) {
            if (rng.nextInt(20) == 0) current = original;
            int start = rng.nextInt(current.length() + 1);
            int end = Math.min(current.length(), start + rng.nextInt(12));
            String piece = junk[rng.nextInt(junk.length)];
            current = switch (rng.nextInt(3)) {
                case 0 -> current.substring(0, start) + current.substring(end);
                case 1 -> current.substring(0, start) + piece + current.substring(start);
                default -> current.substring(0, start) + piece + current.substring(end);
            };
            List<Diagnostic> published = change(current);
            List<String> expected = DocumentAnalysis.of("fashion.nn", current).diagnostics().stream()
                    .map(dev.nnc.compiler.source.Diagnostic::message).toList();
            assertEquals(expected, published.stream().map(Diagnostic::getMessage).toList(), "edit " + edit + ":\n" + current);
            if (edit % 100 == 0) {
                server.getTextDocumentService().hover(new HoverParams(document(), new Position(rng.nextInt(30), rng.nextInt(40)))).get();
                server.getTextDocumentService().completion(new CompletionParams(document(), new Position(rng.nextInt(30), rng.nextInt(40)))).get();
            }
        }
        assertEquals(List.of(), change(original), "and back to a clean file");
        assertTrue(client.log.stream().noneMatch(m -> m.startsWith("nnc lsp:")), client.log.toString());
    }

    private static List<String> labels(List<CompletionItem> items) {
        return items.stream().map(CompletionItem::getLabel).toList();
    }
}
