package dev.nnc.runtime.weights;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * (name to dtype, shape and data offsets, plus string {@code __metadata__}), then the
 * raw little-endian data. Written to a temporary file and renamed, so a crash never
 * leaves a half-written file where a good one was.
 */
public final class Safetensors {

    public record Tensor(String name, List<Integer> shape, float[] data) {}

    /** {@code integers}: the I32 tensors (vectors of indices, such as a checkpoint's row order). */
    public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors, Map<String, int[]> integers) {}

    private Safetensors() {}

    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        write(file, metadata, tensors, Map.of());
    }

    /** F32 tensors, then I32 vectors. */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors, Map<String, int[]> integers)
            throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", metadata);
        long offset = 0;
        for (Tensor t : tensors) {
            long end = offset + 4L * t.data().length;
            header.put(t.name(), entry("F32", t.shape(), offset, end));
            offset = end;
        }
        for (Map.Entry<String, int[]> e : integers.entrySet()) {
            long end = offset + 4L * e.getValue().length;
            header.put(e.getKey(), entry("I32", List.of(e.getValue().length), offset, end));
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        for (Tensor t : tensors) {
            out.asFloatBuffer().put(t.data());
            out.position(out.position() + 4 * t.data().length);
        }
        for (int[] v : integers.values()) {
            out.asIntBuffer().put(v);
            out.position(out.position() + 4 * v.length);
        }
        AtomicFiles.write(file, out.array());
    }

    /** A tensor's header entry, its keys in a fixed order so that the same tensors give the same bytes. */
    private static Map<String, Object> entry(String dtype, List<Integer> shape, long begin, long end) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("dtype", dtype);
        entry.put("shape", shape);
        entry.put("data_offsets", List.of(begin, end));
        return entry;
    }

    public static Contents read(Path file) {
        return read(bytes(file), file.toString());
    }

    /** A weights file's bytes; a {@link UserError} that names it when it cannot be read. */
    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": error: no such weights file");
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
    }

    /** The contents of a file's bytes; {@code origin} names the file in errors. */
    public static Contents read(byte[] bytes, String origin) {
        String bad = origin + ": error: not a valid weights file: ";
        if (bytes.length < 8) throw new UserError(bad + "it is only " + bytes.length + " bytes long");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new UserError(bad + "the header length " + headerLength + " does not fit in the file (truncated?)");
        }
        Map<String, Object> header;
        try {
            header = Json.parseObject(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (Json.SyntaxError e) {
            throw new UserError(bad + "the header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, int[]> integers = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> e : header.entrySet()) {
                Map<?, ?> o = (Map<?, ?>) e.getValue();
                if (e.getKey().equals("__metadata__")) {
                    o.forEach((k, v) -> metadata.put((String) k, (String) v));
                    continue;
                }
                boolean floats = "F32".equals(o.get("dtype"));
                if (!floats && !"I32".equals(o.get("dtype"))) {
                    throw new UserError(bad + "tensor " + e.getKey() + " has dtype " + o.get("dtype") + "; nnc reads F32 (and I32)");
                }
                List<Integer> shape = new ArrayList<>();
                for (Object d : (List<?>) o.get("shape")) shape.add((int) ((Json.Number) d).asLong());
                List<?> offsets = (List<?>) o.get("data_offsets");
                long begin = ((Json.Number) offsets.get(0)).asLong();
                long end = ((Json.Number) offsets.get(1)).asLong();
                long elements = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
                if (end - begin != 4 * elements || begin < 0 || dataStart + end > bytes.length) {
                    throw new UserError(bad + "the data of tensor " + e.getKey() + " is missing or the wrong size (truncated?)");
                }
                ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                if (floats) {
                    float[] data = new float[(int) elements];
                    slice.asFloatBuffer().get(data);
                    tensors.put(e.getKey(), new Tensor(e.getKey(), List.copyOf(shape), data));
                } else {
                    int[] data = new int[(int) elements];
                    slice.asIntBuffer().get(data);
                    integers.put(e.getKey(), data);
                }
            }
        } catch (NullPointerException | ClassCastException | IndexOutOfBoundsException | NumberFormatException e) {
            throw new UserError(bad + "the header does not describe tensors as safetensors does");
        }
        return new Contents(metadata, tensors, integers);
    }
}
