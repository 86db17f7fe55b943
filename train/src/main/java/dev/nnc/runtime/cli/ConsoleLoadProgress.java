package dev.nnc.runtime.cli;

import dev.nnc.runtime.data.LoadProgress;

import java.io.PrintWriter;
import java.util.Locale;

/** A long load on the console: a line redrawn in place on a terminal, elsewhere only its end. */
final class ConsoleLoadProgress implements LoadProgress {
    private final PrintWriter out;
    private final boolean terminal;

    ConsoleLoadProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void update(String file, long bytesDone, long bytesTotal) {
        if (!terminal) return;
        out.printf(Locale.ROOT, "\rreading %s: %d%% (%,d of %,d MB)\u001b[K", file, 100 * bytesDone / Math.max(1, bytesTotal),
                bytesDone >> 20, bytesTotal >> 20);
        out.flush();
    }

    @Override
    public void finished(String file, long bytes, double seconds) {
        out.printf(Locale.ROOT, "%sread %s: %,d MB in %.1f s (%.0f MB/s)%n", terminal ? "\r\u001b[K" : "", file, bytes >> 20,
                seconds, bytes / 1e6 / seconds);
        out.flush();
    }
}
