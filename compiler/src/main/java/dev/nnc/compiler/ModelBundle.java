package dev.nnc.compiler;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.json.JsonRecords;
import dev.nnc.runtime.onnx.OnnxGraph;
import dev.nnc.runtime.weights.Safetensors;
import dev.nnc.runtime.weights.WeightsFile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compiled model with the weights it ships with, if any: what goes into a jar or a
 * classes folder. The weights are checked against the model here, when the
 * application is built, not when it first predicts.
 *
 * @param weights the safetensors file's bytes, or null when none is bundled
 */
public record ModelBundle(CompiledModel model, byte[] weights) {

    /** The model alone, or with the weights file, which must fit it (else a {@link UserError}). */
    public static ModelBundle of(CompiledModel model, Path weights) {
        if (weights == null) return new ModelBundle(model, null);
        byte[] bytes = Safetensors.bytes(weights);
        WeightsFile.check(Safetensors.read(bytes, weights.toString()), weights.toString(), model.spec());
        return new ModelBundle(model, bytes);
    }

    /** Where {@code Name.load()} looks for bundled weights: {@code package/Name.safetensors}. */
    public String weightsResource() {
        return model.typedClassName().replace('.', '/') + ".safetensors";
    }

    /** Class files by binary name: the network's, then the typed class compiled by javac. */
    public Map<String, byte[]> classes() {
        return model.classesWithTypedClass();
    }

    /** What a runnable jar holds besides: the resources, and the ONNX graph its export command writes. */
    public Map<String, byte[]> jarResources() {
        Map<String, byte[]> resources = resources();
        if (model.onnx() != null) {
            resources.put(OnnxGraph.RESOURCE, JsonRecords.toJson(model.onnx()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return resources;
    }

    /** Other files by path in the jar or classes folder: the bundled weights. */
    public Map<String, byte[]> resources() {
        Map<String, byte[]> resources = new LinkedHashMap<>();
        if (weights != null) resources.put(weightsResource(), weights);
        return resources;
    }
}
