package dev.nnc.runtime.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of {@code train}, the same for {@code nnc train} and a model jar. */
public final class TrainOptions {
    @Option(names = "--train", paramLabel = "DATA",
            description = "training data: a CSV file, or IMAGES,LABELS for IDX files (default: the model's data block)")
    public String train;

    @Option(names = "--test", paramLabel = "DATA", description = "test data, the same way (default: the model's data block)")
    public String test;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs to train (default: the model's train block)")
    public Integer epochs;

    @Option(names = "--threads", paramLabel = "N",
            description = "threads to train with (default: every core; the weights are the same for any number)")
    public Integer threads;

    public int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    @Option(names = "--out", paramLabel = "DIR", description = "folder for metrics.json, history.csv, curves.png and weights.safetensors")
    public Path out;

    @Option(names = "--quiet", description = "no line per epoch")
    public boolean quiet;
}
