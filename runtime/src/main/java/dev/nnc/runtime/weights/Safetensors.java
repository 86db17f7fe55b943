package dev.nnc.runtime.weights;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.nnc.runtime.UserError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
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
    private static final Gson GSON = new Gson();

    public record Tensor(String name, List<Integer> shape, float[] data) {}

    public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {}

    private Safetensors() {}

    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add("__metadata__", meta);
        long offset = 0;
        for (Tensor t : tensors) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            entry.add("shape", GSON.toJsonTree(t.shape()));
            long end = offset + 4L * t.data().length;
            entry.add("data_offsets", GSON.toJsonTree(List.of(offset, end)));
            header.add(t.name(), entry);
            offset = end;
        }
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        for (Tensor t : tensors) {
            for (float v : t.data()) out.putFloat(v);
        }
        AtomicFiles.write(file, out.array());
    }

    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": error: no such weights file");
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
        String bad = file + ": error: not a valid weights file: ";
        if (bytes.length < 8) throw new UserError(bad + "it is only " + bytes.length + " bytes long");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new UserError(bad + "the header length " + headerLength + " does not fit in the file (truncated?)");
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new UserError(bad + "the header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                JsonObject o = e.getValue().getAsJsonObject();
                if (e.getKey().equals("__metadata__")) {
                    o.entrySet().forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                    continue;
                }
                if (!o.get("dtype").getAsString().equals("F32")) {
                    throw new UserError(bad + "tensor " + e.getKey() + " has dtype " + o.get("dtype").getAsString() + "; nnc reads F32");
                }
                List<Integer> shape = GSON.fromJson(o.get("shape"), new com.google.gson.reflect.TypeToken<List<Integer>>() {}.getType());
                long begin = o.getAsJsonArray("data_offsets").get(0).getAsLong();
                long end = o.getAsJsonArray("data_offsets").get(1).getAsLong();
                long elements = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
                if (end - begin != 4 * elements || begin < 0 || dataStart + end > bytes.length) {
                    throw new UserError(bad + "the data of tensor " + e.getKey() + " is missing or the wrong size (truncated?)");
                }
                float[] data = new float[(int) elements];
                ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                slice.asFloatBuffer().get(data);
                tensors.put(e.getKey(), new Tensor(e.getKey(), shape, data));
            }
        } catch (NullPointerException | ClassCastException | IllegalStateException | IndexOutOfBoundsException e) {
            throw new UserError(bad + "the header does not describe tensors as safetensors does");
        }
        return new Contents(metadata, tensors);
    }
}
