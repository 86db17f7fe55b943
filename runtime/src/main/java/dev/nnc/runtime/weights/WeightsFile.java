package dev.nnc.runtime.weights;

import com.google.gson.Gson;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.Preprocessor;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.ParameterSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trained model's weights as safetensors, with the metadata that makes them usable
 * alone: the model name, the architecture hash, the preprocessing statistics and the
 * class names. Loading refuses weights of another architecture.
 */
public final class WeightsFile {
    private static final Gson GSON = new Gson();

    private WeightsFile() {}

    public static void save(Path file, ModelSpec spec, Network network, Preprocessor preprocessor) throws IOException {
        float[][] parameters = network.parameters();
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            ParameterSpec p = spec.parameters().get(i);
            tensors.add(new Safetensors.Tensor(p.name(), p.shape(), parameters[i]));
        }
        Map<String, String> metadata = Map.of(
                "format", "nnc",
                "model", spec.name(),
                "architecture_hash", spec.architectureHash(),
                "preprocessing", GSON.toJson(preprocessor),
                "classes", GSON.toJson(spec.classNames()));
        Safetensors.write(file, new java.util.TreeMap<>(metadata), tensors);
    }

    /** Loads into the network; returns the preprocessing the weights were trained with. */
    public static Preprocessor load(Path file, ModelSpec spec, Network network) {
        Safetensors.Contents contents = Safetensors.read(file);
        String hash = contents.metadata().get("architecture_hash");
        String model = contents.metadata().getOrDefault("model", "?");
        if (hash != null && !hash.equals(spec.architectureHash())) {
            throw new UserError(file + ": error: these weights are for another architecture (model " + model
                    + "); " + spec.name() + " was changed since they were trained, or they belong to another model");
        }
        float[][] parameters = network.parameters();
        for (int i = 0; i < parameters.length; i++) {
            ParameterSpec p = spec.parameters().get(i);
            Safetensors.Tensor t = contents.tensors().get(p.name());
            if (t == null) throw new UserError(file + ": error: no tensor named " + p.name() + " for " + spec.name());
            if (!t.shape().equals(p.shape())) {
                throw new UserError(file + ": error: tensor " + p.name() + " has shape " + t.shape() + ", "
                        + spec.name() + " needs " + p.shape());
            }
            System.arraycopy(t.data(), 0, parameters[i], 0, t.data().length);
        }
        String prep = contents.metadata().get("preprocessing");
        if (prep == null) return new Preprocessor("none", new float[spec.inputWidth()], ones(spec.inputWidth()));
        return GSON.fromJson(prep, Preprocessor.class);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
