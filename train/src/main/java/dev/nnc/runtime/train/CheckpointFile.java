package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.ParameterSpec;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.weights.Safetensors;
import dev.nnc.runtime.weights.WeightsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A checkpoint: a weights file (so eval, predict and --init read it as one) that also
 * holds the optimizer's state and a {@link TrainingState}, with the model's training
 * hash and a digest of the data, so that resuming anything else is refused.
 *
 * <p>Tensors: the parameters by name, {@code optimizer.i} for each optimizer state
 * array, {@code best.NAME} for early stopping's best weights, and the I32 vector
 * {@code order}. The rest is string metadata; a double is written as Java writes it,
 * which reads back to the same bits.
 */
public final class CheckpointFile {
    public static final String NAME = "checkpoint.safetensors";
    private static final String FORMAT = "nnc-checkpoint-1";

    private CheckpointFile() {}

    public static void write(Path file, ModelSpec spec, Network network, Preprocessor preprocessor, String dataDigest,
                             TrainingState state) throws IOException {
        List<Safetensors.Tensor> tensors = new ArrayList<>(WeightsFile.tensors(spec, network));
        float[][] optimizer = network.optimizerState();
        for (int i = 0; i < optimizer.length; i++) {
            tensors.add(new Safetensors.Tensor("optimizer." + i, List.of(optimizer[i].length), optimizer[i]));
        }
        if (state.best() != null) {
            for (int i = 0; i < spec.parameters().size(); i++) {
                ParameterSpec p = spec.parameters().get(i);
                tensors.add(new Safetensors.Tensor("best." + p.name(), p.shape(), state.best().weights()[i]));
            }
        }
        Map<String, String> m = WeightsFile.metadata(spec, preprocessor);
        m.put("checkpoint", FORMAT);
        m.put("training_hash", spec.trainingHash());
        m.put("data_digest", dataDigest);
        m.put("optimizer_steps", Double.toString(network.optimizerSteps()));
        m.put("epochs", Integer.toString(state.epochs()));
        m.put("epoch", Integer.toString(state.epoch()));
        m.put("row", Integer.toString(state.row()));
        m.put("loss_sum", Double.toString(state.lossSum()));
        m.put("score_sum", Double.toString(state.scoreSum()));
        m.put("seconds", Double.toString(state.seconds()));
        m.put("shuffler", longs(state.shuffler()));
        m.put("augmenter", longs(state.augmenter()));
        m.put("dropout", Arrays.stream(state.dropout()).map(CheckpointFile::longs).collect(Collectors.joining(";")));
        m.put("history", state.history().stream().map(CheckpointFile::line).collect(Collectors.joining("\n")));
        if (state.best() != null) {
            m.put("best", state.best().value() + "," + state.best().epoch() + "," + state.best().waited());
        }
        if (state.stopReason() != null) m.put("stop_reason", state.stopReason());
        Safetensors.write(file, m, tensors, Map.of("order", state.order()));
    }

    /**
     * Reads a checkpoint and, once every check has passed, puts its weights and
     * optimizer state into the network; returns where the run stood. A checkpoint of
     * another model or of other data, or a damaged one, is a {@link UserError}.
     */
    public static TrainingState read(Path file, ModelSpec spec, String dataDigest, Network network) {
        Safetensors.Contents contents = Safetensors.read(file);
        String origin = file.toString();
        Map<String, String> m = contents.metadata();
        if (!FORMAT.equals(m.get("checkpoint"))) {
            throw new UserError(origin + ": error: not a checkpoint written by nnc"
                    + (m.containsKey("model") ? " (a weights file: --init starts training from weights)" : ""));
        }
        WeightsFile.check(contents, origin, spec);
        if (!spec.trainingHash().equals(m.get("training_hash"))) {
            throw new UserError(origin + ": error: this checkpoint is of another version of " + spec.name()
                    + ": its loss, optimizer, penalty, preprocessing or training settings changed since;"
                    + " train without --resume to start over");
        }
        if (!dataDigest.equals(m.get("data_digest"))) {
            throw new UserError(origin + ": error: this checkpoint was trained on other data (digest " + m.get("data_digest")
                    + ", this data's " + dataDigest + "); resume with the same data and --train/--test as the interrupted run");
        }
        try {
            TrainingState state = state(contents, spec);
            float[][] optimizer = network.optimizerState();
            float[][] saved = new float[optimizer.length][];
            for (int i = 0; i < optimizer.length; i++) {
                Safetensors.Tensor t = contents.tensors().get("optimizer." + i);
                if (t == null || t.data().length != optimizer[i].length) throw new IllegalArgumentException("optimizer." + i);
                saved[i] = t.data();
            }
            double steps = Double.parseDouble(required(m, "optimizer_steps"));
            WeightsFile.load(contents, origin, spec, network);
            for (int i = 0; i < optimizer.length; i++) System.arraycopy(saved[i], 0, optimizer[i], 0, optimizer[i].length);
            network.optimizerSteps(steps);
            return state;
        } catch (IllegalArgumentException | IndexOutOfBoundsException | NullPointerException e) {
            throw new UserError(origin + ": error: the checkpoint is damaged (" + e.getMessage()
                    + "); train without --resume to start over");
        }
    }

    private static TrainingState state(Safetensors.Contents contents, ModelSpec spec) {
        Map<String, String> m = contents.metadata();
        TrainingState.Best best = null;
        if (m.containsKey("best")) {
            String[] b = m.get("best").split(",");
            float[][] weights = new float[spec.parameters().size()][];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = Objects.requireNonNull(contents.tensors().get("best." + spec.parameters().get(i).name()),
                        "best weights").data();
            }
            best = new TrainingState.Best(Double.parseDouble(b[0]), Integer.parseInt(b[1]), Integer.parseInt(b[2]), weights);
        }
        String history = required(m, "history");
        List<EpochStats> epochs = history.isEmpty() ? List.of()
                : Arrays.stream(history.split("\n")).map(CheckpointFile::epochStats).toList();
        long[][] dropout = Arrays.stream(required(m, "dropout").split(";")).map(CheckpointFile::longs).toArray(long[][]::new);
        return new TrainingState(Integer.parseInt(required(m, "epochs")), Integer.parseInt(required(m, "epoch")),
                Integer.parseInt(required(m, "row")), Double.parseDouble(required(m, "loss_sum")),
                Double.parseDouble(required(m, "score_sum")), Double.parseDouble(required(m, "seconds")),
                Objects.requireNonNull(contents.integers().get("order"), "order"), longs(required(m, "shuffler")),
                longs(required(m, "augmenter")), dropout, epochs, best, m.get("stop_reason"));
    }

    private static String required(Map<String, String> metadata, String key) {
        return Objects.requireNonNull(metadata.get(key), key);
    }

    private static String longs(long[] values) {
        return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    private static long[] longs(String text) {
        long[] values = Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
        if (values.length != 3) throw new IllegalArgumentException("a generator's state has 3 numbers, not " + values.length);
        return values;
    }

    private static String line(EpochStats s) {
        return s.epoch() + "," + s.lr() + "," + s.loss() + "," + s.score() + "," + s.valLoss() + "," + s.valScore() + "," + s.seconds();
    }

    private static EpochStats epochStats(String line) {
        String[] f = line.split(",");
        if (f.length != 7) throw new IllegalArgumentException("history line '" + line + "'");
        return new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
    }
}
