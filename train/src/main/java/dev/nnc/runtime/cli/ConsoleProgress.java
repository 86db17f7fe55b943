package dev.nnc.runtime.cli;

import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.train.TrainingListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress of training on the console: on a terminal, a bar within each epoch
 * (batches done, rate, time left, running loss and score) redrawn in place at most ten
 * times a second; elsewhere, a plain line every ten seconds of a long epoch. Then one
 * summary line per epoch. (A few lines of our own: the progress-bar libraries bring a
 * terminal library with them.)
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final int epochs;
    private final String scoreName;
    private final boolean validation;
    private int currentEpoch;
    private int batchesBefore; // of the epoch, before this process: a resumed run starts mid-epoch
    private long epochStart;
    private long lastDraw;
    private boolean drawn;

    public ConsoleProgress(PrintWriter out, boolean terminal, int epochs, String scoreName, boolean validation) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.scoreName = scoreName;
        this.validation = validation;
    }

    @Override
    public void batchDone(int epoch, int batch, int batches, double loss, double score) {
        long now = System.nanoTime();
        if (epoch != currentEpoch) {
            currentEpoch = epoch;
            batchesBefore = batch - 1;
            epochStart = now;
            lastDraw = now;
        }
        long interval = terminal ? 100_000_000L : 10_000_000_000L;
        if (now - lastDraw < interval || batch == batches) return;
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        double rate = (batch - batchesBefore) / Math.max(seconds, 1e-9);
        double left = (batches - batch) / rate;
        String figures = String.format(Locale.ROOT, "%d/%d  %.0f batches/s  ETA %s  loss %.4f  %s %.4f",
                batch, batches, rate, time(left), loss, scoreName, score);
        if (terminal) {
            int filled = (int) ((long) WIDTH * batch / batches);
            out.print("\r" + "epoch " + epoch + "/" + epochs + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + figures + "\u001b[K");
            drawn = true;
        } else {
            out.println("  epoch " + epoch + ": " + figures);
        }
        out.flush();
    }

    @Override
    public void epochDone(EpochStats s) {
        if (drawn) out.print("\r\u001b[K");
        drawn = false;
        out.printf(Locale.ROOT, "epoch %d/%d  lr %.3g  loss %.4f  %s %.4f%s  %.2fs%n", s.epoch(), epochs, s.lr(), s.loss(),
                scoreName, s.score(), validation ? String.format(Locale.ROOT, "  val_loss %.4f  val_%s %.4f",
                        s.valLoss(), scoreName, s.valScore()) : "", s.seconds());
        out.flush();
    }

    private static String time(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }
}
