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
            description = "threads to train with, at most one per core (default: every core; the weights are the same for any number)")
    public Integer threads;

    public int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    @Option(names = "--out", paramLabel = "DIR",
            description = "folder for metrics.json, history.csv, curves.png, weights.safetensors and checkpoint.safetensors")
    public Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the run whose --out was DIR from its last checkpoint (same model, data and options)")
    public Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "epochs between checkpoints (default: the model's 'checkpoint every N', else 1)")
    public Integer checkpointEvery;

    @Option(names = "--init", paramLabel = "WEIGHTS",
            description = "start from these weights (nnc's or PyTorch's safetensors, same names and shapes) instead of random ones")
    public Path init;

    /** The folder the run writes to: --out, or the run --resume continues. */
    public Path outputFolder() {
        if (resume != null && out != null && !resume.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new dev.nnc.runtime.UserError("error: --resume " + resume + " continues in that folder; drop --out " + out);
        }
        return resume != null ? resume : out;
    }

    @Option(names = "--quiet", description = "no line per epoch")
    public boolean quiet;
}
