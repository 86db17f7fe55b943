package dev.nnc.runtime.train;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec.AugmentSpec;

import java.util.List;

/**
 * The {@code augment} setting, applied to each training batch in place: Gaussian
 * noise, random shifts of an image by up to {@code pixels} in each direction (the
 * edge filled with zeros), and horizontal flips of half the images. An input of
 * rank 3 is an image [height, width, channels], channels last, as the convolutions
 * read it; otherwise images are {@code height x width} planes: as given, else the
 * input's last two dimensions, else the square root of a square input (784 is 28 x 28).
 * An instance is for one thread at a time: the row generator and the shift's scratch
 * row are its own.
 */
final class Augmenter {
    private final List<AugmentSpec> augments;
    private final int[][] sizes;
    private final float[] scratch;
    /** The generator of the row being augmented, seeded for it. */
    private final Rng row = new Rng(0);

    Augmenter(ModelSpec spec, List<AugmentSpec> augments) {
        this.augments = augments;
        this.sizes = new int[augments.size()][];
        for (int i = 0; i < augments.size(); i++) {
            AugmentSpec a = augments.get(i);
            if (!a.kind().equals("noise")) sizes[i] = imageSize(spec, a);
        }
        this.scratch = new float[spec.inputWidth()];
    }

    private static int[] imageSize(ModelSpec spec, AugmentSpec a) {
        int height = a.shape().get(0);
        int width = a.shape().get(1);
        List<Integer> shape = spec.inputShape();
        if (shape.size() == 3 && height == 0 && width == 0) return new int[]{shape.get(0), shape.get(1), shape.get(2)};
        if (height == 0 || width == 0) {
            if (shape.size() >= 2) {
                height = shape.get(shape.size() - 2);
                width = shape.get(shape.size() - 1);
            } else {
                int side = (int) Math.round(Math.sqrt(spec.inputWidth()));
                if (side * side != spec.inputWidth()) {
                    throw new UserError("error: " + a.kind() + " needs the image size for input " + spec.inputShape()
                            + ": write " + a.kind() + "(width = W, height = H)");
                }
                height = side;
                width = side;
            }
        }
        if (spec.inputWidth() % (height * width) != 0) {
            throw new UserError("error: " + a.kind() + ": images of " + height + " x " + width + " do not divide input "
                    + spec.inputShape());
        }
        return new int[]{height, width, 1};
    }

    int count() {
        return augments.size();
    }

    /**
     * A batch's seeds, one per augmentation, drawn in order from {@code batches}: all the
     * batch's draws from it, wherever its rows are then augmented.
     */
    static void drawSeeds(Rng batches, long[] seeds) {
        for (int i = 0; i < seeds.length; i++) seeds[i] = batches.nextLong();
    }

    /** Augments rows [0, n) of x, each of {@code w} values, as a whole batch drawing from {@code batches}. */
    void apply(Rng batches, float[] x, int n, int w) {
        long[] seeds = new long[count()];
        drawSeeds(batches, seeds);
        apply(seeds, x, 0, n, w);
    }

    /**
     * Augments rows [0, n) of x, rows [firstRow, firstRow + n) of a batch with these seeds:
     * every augmentation in turn. Each row draws from a generator of its own, seeded from
     * the batch's seed and the row's place in the batch ({@link Rng#at}), so a batch's
     * rows get the same values however they are cut into parts and wherever each part
     * runs: the parts of a step augment their own rows on their own threads.
     */
    void apply(long[] seeds, float[] x, int firstRow, int n, int w) {
        for (int i = 0; i < seeds.length; i++) apply(i, seeds[i], x, firstRow, n, w);
    }

    /** Augmentation i, with the batch's seed for it, of rows [0, n) of x (rows [firstRow, firstRow + n) of the batch). */
    void apply(int i, long seed, float[] x, int firstRow, int n, int w) {
        AugmentSpec a = augments.get(i);
        for (int r = 0; r < n; r++) {
            row.setSeed(Rng.at(seed, firstRow + r));
            int offset = r * w;
            switch (a.kind()) {
                case "noise" -> {
                    for (int j = offset; j < offset + w; j++) x[j] += (float) (a.std() * Ziggurat.normal(row));
                }
                case "shift" -> shift(x, offset, w, sizes[i], row.nextInt(2 * a.pixels() + 1) - a.pixels(),
                        row.nextInt(2 * a.pixels() + 1) - a.pixels());
                default -> {
                    if (row.nextInt(2) == 1) flip(x, offset, w, sizes[i]);
                }
            }
        }
    }

    /** Each plane of h x wd pixels of {@code size[2]} channels each (1 for planes one after another). */
    private void shift(float[] x, int offset, int w, int[] size, int dy, int dx) {
        int h = size[0];
        int wd = size[1];
        int channels = size[2];
        int plane = h * wd * channels;
        System.arraycopy(x, offset, scratch, 0, w);
        for (int p = 0; p < w; p += plane) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < wd; xx++) {
                    int sy = y - dy;
                    int sx = xx - dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < wd;
                    for (int c = 0; c < channels; c++) {
                        x[offset + p + (y * wd + xx) * channels + c] = inside ? scratch[p + (sy * wd + sx) * channels + c] : 0;
                    }
                }
            }
        }
    }

    private static void flip(float[] x, int offset, int w, int[] size) {
        int channels = size[2];
        int line = size[1] * channels;
        for (int row = offset; row < offset + w; row += line) {
            for (int a = row, b = row + line - channels; a < b; a += channels, b -= channels) {
                for (int c = 0; c < channels; c++) {
                    float t = x[a + c];
                    x[a + c] = x[b + c];
                    x[b + c] = t;
                }
            }
        }
    }
}
