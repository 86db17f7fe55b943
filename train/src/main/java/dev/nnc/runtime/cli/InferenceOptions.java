package dev.nnc.runtime.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options of `eval` and `predict`, the same for nnc and a model jar. */
public final class InferenceOptions {
    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "weights.safetensors written by train")
    public Path weights;

    @Option(names = "--test", paramLabel = "DATA", description = "eval: test data (default: the model's data block)")
    public String test;

    @Option(names = "--input", paramLabel = "CSV", description = "predict: the rows to predict")
    public Path input;

    @Option(names = "--output", paramLabel = "CSV", description = "predict: where to write the predictions (default: standard output)")
    public Path output;

    @Option(names = "--out", paramLabel = "DIR", description = "eval: a folder for metrics.json")
    public Path out;

    public Path requireInput() {
        if (input == null) throw new dev.nnc.runtime.UserError("error: predict needs --input FILE.csv");
        return input;
    }
}
