package dev.nnc.runtime.cli;

import dev.nnc.runtime.onnx.OnnxGraph;
import dev.nnc.runtime.onnx.OnnxWriter;
import dev.nnc.runtime.spec.ModelSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The options of {@code export}, the same for nnc and a model jar, and what they do. */
public final class ExportOptions {
    @Option(names = "--weights", required = true, paramLabel = "W", description = "weights.safetensors written by train")
    public Path weights;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "the ONNX file to write (default: the model's name .onnx)")
    public Path output;

    /** Writes the file (nothing when the weights are another model's) and says where. */
    public void export(OnnxGraph graph, ModelSpec spec, PrintWriter out) throws IOException {
        Path file = output != null ? output : Path.of(spec.name() + ".onnx");
        OnnxWriter.export(graph, spec, weights, file);
        out.println("wrote " + file + " (ONNX opset 17: input '" + graph.input() + "' " + shape(graph) + ", output '"
                + graph.output() + "' [batch, " + graph.outputWidth() + "])");
    }

    private static String shape(OnnxGraph graph) {
        StringBuilder s = new StringBuilder("[batch");
        graph.inputShape().forEach(d -> s.append(", ").append(d));
        return s.append("]").toString();
    }
}
