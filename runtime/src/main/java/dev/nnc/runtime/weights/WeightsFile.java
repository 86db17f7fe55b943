package dev.nnc.runtime.weights;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.json.Json;
import dev.nnc.runtime.json.JsonRecords;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.ParameterSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trained model's weights as safetensors, with the metadata that makes them usable
 * alone: the model name, the architecture hash, the preprocessing statistics and the
 * class names. Loading refuses weights of another model or architecture.
 */
public final class WeightsFile {

    private WeightsFile() {}

    public static void save(Path file, ModelSpec spec, Network network, Preprocessor preprocessor) throws IOException {
        Safetensors.write(file, metadata(spec, preprocessor), tensors(spec, network));
    }

    /** The network's parameters as named tensors, in the spec's order. */
    public static List<Safetensors.Tensor> tensors(ModelSpec spec, Network network) {
        float[][] parameters = network.parameters();
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            ParameterSpec p = spec.parameters().get(i);
            tensors.add(new Safetensors.Tensor(p.name(), p.shape(), parameters[i]));
        }
        return tensors;
    }

    /** What makes the weights usable alone: model, architecture hash, preprocessing, classes. */
    public static Map<String, String> metadata(ModelSpec spec, Preprocessor preprocessor) {
        return new TreeMap<>(Map.of(
                "format", "nnc",
                "model", spec.name(),
                "architecture_hash", spec.architectureHash(),
                "preprocessing", JsonRecords.toJson(preprocessor),
                "classes", Json.write(spec.classNames())));
    }

    /** Loads into the network; returns the preprocessing the weights were trained with. */
    public static Preprocessor load(Path file, ModelSpec spec, Network network) {
        return load(Safetensors.read(file), file.toString(), spec, network);
    }

    /** The same for a file already read; {@code origin} names it in errors. */
    public static Preprocessor load(Safetensors.Contents contents, String origin, ModelSpec spec, Network network) {
        Preprocessor preprocessor = check(contents, origin, spec);
        float[][] parameters = network.parameters();
        for (int i = 0; i < parameters.length; i++) {
            float[] data = contents.tensors().get(spec.parameters().get(i).name()).data();
            System.arraycopy(data, 0, parameters[i], 0, data.length);
        }
        return preprocessor;
    }

    /**
     * Whether the weights fit the model: its name and architecture hash (when the file
     * has them), every parameter tensor by name and shape, the preprocessing statistics.
     * Returns the preprocessing; a {@link UserError} says what does not fit.
     */
    public static Preprocessor check(Safetensors.Contents contents, String origin, ModelSpec spec) {
        String model = contents.metadata().get("model");
        if (model != null && !model.equals(spec.name())) {
            throw new UserError(origin + ": error: these weights are for model " + model + ", not " + spec.name());
        }
        String hash = contents.metadata().get("architecture_hash");
        if (hash != null && !hash.equals(spec.architectureHash())) {
            throw new UserError(origin + ": error: these weights are for another architecture of " + spec.name()
                    + ": the model was changed since they were trained (architecture hash " + abbreviate(hash)
                    + ", the model's is " + abbreviate(spec.architectureHash()) + ")");
        }
        for (ParameterSpec p : spec.parameters()) {
            Safetensors.Tensor t = contents.tensors().get(p.name());
            if (t == null) throw new UserError(origin + ": error: no tensor named " + p.name() + " for " + spec.name());
            if (!t.shape().equals(p.shape())) {
                throw new UserError(origin + ": error: tensor " + p.name() + " has shape " + t.shape() + ", "
                        + spec.name() + " needs " + p.shape());
            }
        }
        String prep = contents.metadata().get("preprocessing");
        if (prep == null) return Preprocessor.none(spec.inputWidth());
        try {
            Preprocessor p = JsonRecords.fromJson(prep, Preprocessor.class);
            if (p.shift().length != spec.inputWidth() || p.scale().length != spec.inputWidth()) {
                throw new IllegalArgumentException("width");
            }
            return p;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new UserError(origin + ": error: the preprocessing statistics in the metadata are not readable for "
                    + spec.inputWidth() + " inputs");
        }
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }
}
