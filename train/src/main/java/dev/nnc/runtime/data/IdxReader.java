package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;

import java.io.*;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST, gzipped or plain: a magic number (two
 * zero bytes, the element type, the number of dimensions), the sizes, then the data.
 * Images must be unsigned bytes whose sample size matches the model's input; labels
 * unsigned bytes within the classes. Every mismatch is reported with the file. The
 * images stay bytes ({@link ByteRows}): a quarter of the memory of their floats, and of
 * what a training step fetches when it copies its shuffled rows.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private final ModelSpec spec;

    public IdxReader(ModelSpec spec) {
        this.spec = spec;
    }

    public Dataset read(Path images, Path labels) {
        Array x = readArray(images);
        Array y = readArray(labels);
        if (x.dims.length < 2) {
            throw new UserError(images + ": error: expected images (at least 2 dimensions), found " + x.dims.length + " dimension(s)");
        }
        int width = 1;
        for (int d = 1; d < x.dims.length; d++) width *= x.dims[d];
        if (width != spec.inputWidth()) {
            throw new UserError(images + ": error: each image has " + width + " values, but input " + spec.inputName()
                    + " is " + spec.inputShape());
        }
        if (y.dims.length != 1) throw new UserError(labels + ": error: expected labels (1 dimension), found " + y.dims.length);
        if (y.dims[0] != x.dims[0]) {
            throw new UserError(labels + ": error: " + y.dims[0] + " labels for " + x.dims[0] + " images in " + images);
        }
        if (spec.targetKind() == TargetKind.REAL) throw new UserError(labels + ": error: IDX labels need a class or binary target");
        int classes = spec.targetKind() == TargetKind.BINARY ? 2 : spec.classNames().size();
        float[] classOf = new float[y.values.length];
        for (int i = 0; i < y.values.length; i++) {
            classOf[i] = y.values[i] & 0xFF;
            if (classOf[i] >= classes) {
                throw new UserError(labels + ": error: record " + (i + 1) + ": label " + (int) classOf[i]
                        + " is out of range for " + classes + " classes");
            }
        }
        return Dataset.stored(images.toString(), new ByteRows(x.values, classOf, x.dims[0], width, 1));
    }

    /** The sizes, and the unsigned bytes. */
    private record Array(int[] dims, byte[] values) {}

    private static Array readArray(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new UserError(file + ": error: the file is empty or shorter than an IDX header");
            }
            int type = (magic >> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || rank == 0) {
                throw new UserError(file + ": error: bad magic number 0x" + String.format("%08x", magic)
                        + "; expected an IDX file (0x000008NN)");
            }
            if (type != UNSIGNED_BYTE) {
                throw new UserError(file + ": error: IDX element type 0x" + Integer.toHexString(type) + " is not supported; expected unsigned bytes (0x08)");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = data.readInt();
                if (dims[d] <= 0) throw new UserError(file + ": error: dimension " + (d + 1) + " has size " + dims[d]);
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 8) throw new UserError(file + ": error: " + total + " values is too many");
            byte[] values = new byte[(int) total];
            for (int at = 0; at < values.length; ) {
                int read = data.readNBytes(values, at, values.length - at);
                at += read;
                if (read == 0) {
                    long perRecord = total / dims[0];
                    throw new UserError(file + ": error: truncated: the header promises " + dims[0]
                            + " records, the data ends in record " + (at / perRecord + 1));
                }
            }
            return new Array(dims, values);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": error: no such file" + (file.toString().contains("fashion-mnist")
                    ? " (install the data: apt-get install dataset-fashion-mnist)" : ""));
        } catch (EOFException e) {
            throw new UserError(file + ": error: truncated IDX header");
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
    }
}
