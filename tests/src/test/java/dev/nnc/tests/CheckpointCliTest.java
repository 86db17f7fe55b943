package dev.nnc.tests;

import dev.nnc.runtime.weights.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoints, --resume and --init as a user meets them: what is refused, and what it leaves. */
class CheckpointCliTest {
    static final String IRIS = "examples/iris/iris.nn";

    @TempDir
    Path dir;

    private Cli train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", IRIS, "--quiet"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aCheckpointIsAlsoAWeightsFile() {
        Path out = dir.resolve("out");
        assertEquals(0, train("--out", out.toString(), "--epochs", "5").status());
        Cli eval = Cli.run("eval", IRIS, "--weights", out.resolve("checkpoint.safetensors").toString(),
                "--test", "examples/iris/iris.csv");
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("accuracy"), eval.out());
    }

    @Test
    void checkpointsOfAnotherRunAreRefusedAndTheFolderStaysAsItWas() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, train("--out", out.toString(), "--epochs", "5").status());
        Files.writeString(out.resolve(".weights.safetensors42.tmp"), "left by a killed writer");
        Map<String, byte[]> before = contents(out);

        Path otherSettings = dir.resolve("iris.nn");
        Files.writeString(otherSettings, Files.readString(Path.of(IRIS)).replace("momentum = 0.9", "momentum = 0.8")
                .replace("\"iris.csv\"", "\"" + Path.of("examples/iris/iris.csv").toAbsolutePath() + "\""));
        refused(Cli.run("train", otherSettings.toString(), "--resume", out.toString()), "another version of Iris");

        Path fewerRows = dir.resolve("fewer.csv");
        List<String> lines = Files.readAllLines(Path.of("examples/iris/iris.csv"));
        Files.write(fewerRows, lines.subList(0, lines.size() - 1));
        refused(train("--resume", out.toString(), "--train", fewerRows.toString()), "trained on other data");

        refused(train("--resume", out.toString(), "--init", out.resolve("weights.safetensors").toString()), "drop --init");
        refused(train("--resume", out.toString(), "--out", dir.resolve("elsewhere").toString()), "drop --out");
        refused(train("--resume", out.toString(), "--epochs", "2"), "trained 5 epochs already");
        Map<String, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));

        Path damaged = dir.resolve("damaged");
        Files.createDirectories(damaged);
        byte[] checkpoint = before.get("checkpoint.safetensors");
        Files.write(damaged.resolve("checkpoint.safetensors"), Arrays.copyOf(checkpoint, checkpoint.length - 100));
        refused(train("--resume", damaged.toString()), "truncated");

        Path weightsOnly = dir.resolve("weights-only");
        Files.createDirectories(weightsOnly);
        Files.write(weightsOnly.resolve("checkpoint.safetensors"), before.get("weights.safetensors"));
        refused(train("--resume", weightsOnly.toString()), "not a checkpoint written by nnc");

        refused(train("--resume", dir.resolve("empty").toString()), "no checkpoint in");
        refused(train("--checkpoint-every", "2"), "--checkpoint-every needs --out");
        refused(train("--out", out.toString(), "--checkpoint-every", "0"), "at least 1");
    }

    @Test
    void aNewStartRemovesWhatKilledWritersLeftAndNothingElse() throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve(".checkpoint.safetensors8fk2.tmp"), "half");
        Files.writeString(out.resolve(".weights.safetensors1.tmp"), "half");
        Files.writeString(out.resolve(".notes.tmp"), "the user's");
        assertEquals(0, train("--out", out.toString(), "--epochs", "2").status());
        assertEquals(List.of(".notes.tmp", "checkpoint.safetensors", "curves.png", "history.csv", "metrics.json",
                "weights.safetensors"), List.copyOf(contents(out).keySet()));
    }

    @Test
    void initStartsFromGivenWeightsOfNncOrPyTorch() throws IOException {
        Path trained = dir.resolve("trained");
        assertEquals(0, train("--out", trained.toString()).status());
        Path weights = trained.resolve("weights.safetensors");

        double fromTrained = trainLoss("--init", weights.toString());
        double fromScratch = trainLoss();
        assertTrue(fromTrained < fromScratch / 2, "started from trained weights: " + fromTrained + ", from scratch: " + fromScratch);

        // as PyTorch's save_file writes them: the same names and shapes, no metadata
        Map<String, Safetensors.Tensor> tensors = Safetensors.read(weights).tensors();
        Path torch = dir.resolve("torch.safetensors");
        Safetensors.write(torch, Map.of(), List.copyOf(tensors.values()));
        assertEquals(fromTrained, trainLoss("--init", torch.toString()));

        Path missing = dir.resolve("missing.safetensors");
        Safetensors.write(missing, Map.of(), tensors.values().stream().filter(t -> !t.name().equals("dense_2.bias")).toList());
        refused(train("--init", missing.toString()), "no tensor named dense_2.bias");

        Path misshapen = dir.resolve("misshapen.safetensors");
        Safetensors.write(misshapen, Map.of(), tensors.values().stream().map(t -> t.name().equals("dense_1.weight")
                ? new Safetensors.Tensor(t.name(), List.of(4, 16), t.data()) : t).toList());
        refused(train("--init", misshapen.toString()), "tensor dense_1.weight has shape [4, 16], Iris needs [16, 4]");
    }

    /** The training loss after one epoch from the given start. */
    private double trainLoss(String... init) throws IOException {
        Path out = Files.createTempDirectory(dir, "run");
        List<String> args = new ArrayList<>(List.of("--epochs", "1", "--out", out.toString()));
        args.addAll(List.of(init));
        Cli run = train(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        String metrics = Files.readString(out.resolve("metrics.json"));
        return Double.parseDouble(metrics.replaceAll("(?s).*\"train_loss\": ([^,]+),.*", "$1"));
    }

    private static void refused(Cli run, String message) {
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertFalse(run.hasStackTrace(), run.err());
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.toList()) files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        return files;
    }
}
