package dev.nnc.runtime.cli;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.json.Json;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.train.CheckpointFile;
import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.weights.AtomicFiles;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The --out folder of a training run: its results (weights, metrics, history, curves),
 * its checkpoint, and the temporary files that a writer killed mid-write leaves.
 */
public final class RunFolder {
    static final String WEIGHTS = "weights.safetensors";
    private static final List<String> FILES = List.of(WEIGHTS, "metrics.json", "history.csv", "curves.png", CheckpointFile.NAME);

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path checkpoint() {
        return dir.resolve(CheckpointFile.NAME);
    }

    /**
     * Makes the folder if need be, before the run reads its data or trains: a --out that
     * cannot be a folder is reported at once, not when the first checkpoint is due.
     */
    void prepare() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError(dir + ": error: --out names a file, not a folder");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(dir + ": error: cannot make the folder: " + AtomicFiles.why(e));
        }
        if (!Files.isWritable(dir)) throw new UserError(dir + ": error: cannot write in this folder");
    }

    /** Deletes what {@link AtomicFiles} leaves when killed between writing and renaming: .NAME*.tmp. */
    void removeStaleTemporaries() throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp") && FILES.stream().anyMatch(n -> name.startsWith("." + n))) Files.deleteIfExists(f);
            }
        }
    }

    public void writeResults(ModelSpec spec, Network network, Preprocessor preprocessor, Map<String, Object> metrics,
                      List<EpochStats> history) throws IOException {
        WeightsFile.save(dir.resolve(WEIGHTS), spec, network, preprocessor);
        AtomicFiles.write(dir.resolve("metrics.json"), Json.pretty(metrics) + "\n");
        StringBuilder csv = new StringBuilder("epoch,lr,loss,accuracy,val_loss,val_accuracy,seconds\n");
        boolean classes = spec.isClassification();
        for (EpochStats s : history) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.4f%n", s.epoch(), s.lr(), s.loss(),
                    classes ? s.score() : "", Double.isNaN(s.valLoss()) ? "" : s.valLoss(),
                    classes && !Double.isNaN(s.valScore()) ? s.valScore() : "", s.seconds()));
        }
        AtomicFiles.write(dir.resolve("history.csv"), csv.toString());
        AtomicFiles.write(dir.resolve("curves.png"), CurvePlot.png(history, classes ? "accuracy" : "mse"));
    }
}
