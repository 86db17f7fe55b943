package dev.nnc.compiler.cli;

import dev.nnc.compiler.lsp.NncLanguageServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = "Serve the Language Server Protocol on standard input and output, for editors (see editors/vscode).")
final class LspCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out;
        System.setOut(System.err); // standard output carries the protocol alone
        NncLanguageServer server = new NncLanguageServer(() -> System.exit(0));
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        launcher.startListening().get();
        return 0;
    }
}
