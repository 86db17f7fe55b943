package dev.nnc.runtime.cli;

import dev.nnc.runtime.train.EpochStats;

import javax.imageio.ImageIO;
import java.awt.*;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The loss and accuracy (or MSE) curves of a run, train and validation, as a PNG.
 * Drawn with Java2D, which every JDK has: no plotting library in every model jar.
 */
final class CurvePlot {
    private static final int PANEL_WIDTH = 480;
    private static final int HEIGHT = 340;
    private static final int MARGIN = 52;
    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color VALIDATION = new Color(0xff7f0e);

    private CurvePlot() {}

    static byte[] png(List<EpochStats> history, String scoreName) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        panel(g, 0, "loss", history, EpochStats::loss, EpochStats::valLoss);
        panel(g, PANEL_WIDTH, scoreName, history, EpochStats::score, EpochStats::valScore);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static void panel(Graphics2D g, int left, String title, List<EpochStats> history,
                              ToDoubleFunction<EpochStats> train, ToDoubleFunction<EpochStats> validation) {
        int x0 = left + MARGIN;
        int y0 = HEIGHT - MARGIN;
        int w = PANEL_WIDTH - MARGIN - 20;
        int h = HEIGHT - MARGIN - 36;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (EpochStats s : history) {
            for (double v : new double[]{train.applyAsDouble(s), validation.applyAsDouble(s)}) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!Double.isFinite(min)) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-12) max = min + 1;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x0 + w / 2 - g.getFontMetrics().stringWidth(title) / 2, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= 4; i++) {
            int y = y0 - h * i / 4;
            g.drawLine(x0, y, x0 + w, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0 - h, w, h);
        for (int i = 0; i <= 4; i++) {
            String label = String.format(Locale.ROOT, "%.3g", min + (max - min) * i / 4);
            g.drawString(label, x0 - 6 - g.getFontMetrics().stringWidth(label), y0 - h * i / 4 + 4);
        }
        int epochs = history.size();
        g.drawString("1", x0, y0 + 16);
        String last = String.valueOf(epochs);
        g.drawString(last, x0 + w - g.getFontMetrics().stringWidth(last), y0 + 16);
        g.drawString("epoch", x0 + w / 2 - 15, y0 + 32);
        curve(g, history, train, TRAIN, x0, y0, w, h, min, max);
        curve(g, history, validation, VALIDATION, x0, y0, w, h, min, max);
        legend(g, x0 + w - 110, y0 - h + 8, TRAIN, "train");
        if (history.stream().anyMatch(s -> Double.isFinite(validation.applyAsDouble(s)))) {
            legend(g, x0 + w - 110, y0 - h + 24, VALIDATION, "validation");
        }
    }

    private static void curve(Graphics2D g, List<EpochStats> history, ToDoubleFunction<EpochStats> metric, Color color,
                              int x0, int y0, int w, int h, double min, double max) {
        Path2D path = new Path2D.Double();
        boolean started = false;
        int n = history.size();
        for (int i = 0; i < n; i++) {
            double v = metric.applyAsDouble(history.get(i));
            if (!Double.isFinite(v)) continue;
            double x = x0 + (n == 1 ? w / 2.0 : (double) w * i / (n - 1));
            double y = y0 - h * (v - min) / (max - min);
            if (started) path.lineTo(x, y);
            else path.moveTo(x, y);
            started = true;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, int x, int y, Color color, String label) {
        g.setColor(color);
        g.fillRect(x, y + 4, 18, 4);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 24, y + 10);
    }
}
