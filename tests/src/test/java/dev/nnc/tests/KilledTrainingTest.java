package dev.nnc.tests;

import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `nnc train` in a process of its own, killed with SIGKILL at random moments (several
 * times, on one and on two threads, some of them while a checkpoint is being written)
 * and resumed each time, ends with the files of a run that was never killed; Ctrl-C
 * saves a checkpoint, exits with 130, and the run resumes to the same bytes.
 */
class KilledTrainingTest {
    /** Wide enough that writing a checkpoint (about 10 MB) takes a good part of an epoch. */
    static final String MODEL = """
            model Wide {
                input  x: [32]
                target y: class[3]
                output p = x -> dense(768) -> relu -> dropout(0.2) -> dense(768) -> relu -> dense(3) -> softmax
                loss      cross_entropy(p, y)
                optimizer adam(lr = 0.001)
                train {
                    epochs     30
                    batch      50
                    validation 20%
                    augment    noise(std = 0.05)
                    schedule   cosine()
                    early_stop(monitor = val_loss, patience = 8)
                    seed       11
                }
                data {
                    train csv("data.csv", target = "y")
                }
            }
            """;

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void writeModelAndData() throws IOException {
        model = dir.resolve("wide.nn");
        Files.writeString(model, MODEL);
        Rng rng = new Rng(3);
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < 32; j++) csv.append("f").append(j).append(',');
        csv.append("y\n");
        for (int r = 0; r < 500; r++) {
            double sum = 0;
            for (int j = 0; j < 32; j++) {
                double v = rng.nextGaussian();
                sum += v * Math.sin(j);
                csv.append(String.format(Locale.ROOT, "%.4f,", v));
            }
            csv.append(sum < -1 ? 0 : sum < 1 ? 1 : 2).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
    }

    @Test
    void killedAtRandomMomentsAndResumedEndsWithTheBytesOfAnUninterruptedRun() throws Exception {
        Path expected = train(dir.resolve("uninterrupted"));
        Path out = dir.resolve("killed");
        Rng rng = new Rng(42);
        int kills = 0;
        int killsWhileWriting = 0;
        for (int attempt = 0; ; attempt++) {
            boolean resume = Files.exists(out.resolve("checkpoint.safetensors"));
            Child child = Child.start(out, resume, 1 + attempt % 2);
            boolean killing = attempt < 20 && (kills < 4 || killsWhileWriting == 0);
            if (!killing) {
                assertEquals(0, child.waitFor(), child.output());
                break;
            }
            // at a random moment of the first second of training, or as soon as a checkpoint's temporary file appears
            if (attempt % 2 == 0) {
                child.awaitLine("training ");
                Thread.sleep(rng.nextInt(1000));
            } else {
                awaitCheckpointBeingWritten(out, child.process);
            }
            child.process.destroyForcibly();
            child.waitFor();
            kills++;
            if (temporaries(out).stream().anyMatch(name -> name.startsWith(".checkpoint.safetensors"))) killsWhileWriting++;
        }
        assertTrue(kills >= 4, kills + " kills");
        assertTrue(killsWhileWriting >= 1, "no kill landed in a checkpoint's write in " + kills + " kills");
        assertSameResults(expected, out);
        assertEquals(List.of(), temporaries(out), "the last start removed what the killed writers left");
    }

    @Test
    void ctrlCSavesExitsWith130AndResumesToTheSameBytes() throws Exception {
        Path expected = train(dir.resolve("uninterrupted"));
        Path out = dir.resolve("interrupted");
        Child child = Child.start(out, false, 2);
        child.awaitLine("epoch 1/");
        new ProcessBuilder("kill", "-INT", Long.toString(child.process.pid())).start().waitFor();
        assertEquals(130, child.waitFor(), child.output());
        assertTrue(child.output().contains("interrupted in epoch"), child.output());
        assertTrue(child.output().contains("--resume " + out), child.output());
        assertTrue(Files.exists(out.resolve("checkpoint.safetensors")));
        assertFalse(Files.exists(out.resolve("weights.safetensors")), "an interrupted run writes no results");

        Cli resumed = Cli.run("train", model.toString(), "--resume", out.toString(), "--threads", "1", "--quiet");
        assertEquals(0, resumed.status(), resumed.err());
        assertSameResults(expected, out);
    }

    /** Watches the folder until a checkpoint is being written (or the child ends). */
    private static void awaitCheckpointBeingWritten(Path out, Process child) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (child.isAlive() && System.nanoTime() < deadline) {
            if (temporaries(out).stream().anyMatch(name -> name.startsWith(".checkpoint.safetensors"))) return;
            Thread.onSpinWait();
        }
    }

    private Path train(Path out) {
        Cli r = Cli.run("train", model.toString(), "--out", out.toString(), "--threads", "2", "--quiet");
        assertEquals(0, r.status(), r.err());
        return out;
    }

    /** weights.safetensors byte for byte; history.csv and metrics.json but their times. */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(expected.resolve("weights.safetensors")),
                Files.readAllBytes(actual.resolve("weights.safetensors")), "weights");
        assertEquals(historyWithoutTimes(expected), historyWithoutTimes(actual));
        assertEquals(metricsWithoutTime(expected), metricsWithoutTime(actual));
    }

    private static List<String> historyWithoutTimes(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("history.csv")).stream()
                .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    private static List<String> metricsWithoutTime(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("metrics.json")).stream().filter(l -> !l.contains("\"seconds\"")).toList();
    }

    private static List<String> temporaries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).collect(Collectors.toList());
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // not made yet
        }
    }

    /** `nnc train` in another JVM, its output read as it comes. */
    private record Child(Process process, Thread reader, LinkedBlockingQueue<String> lines, List<String> seen) {
        static Child start(Path out, boolean resume, int threads) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), "dev.nnc.compiler.cli.Nnc", "train",
                    out.getParent().resolve("wide.nn").toString(), resume ? "--resume" : "--out", out.toString(),
                    "--threads", Integer.toString(threads)));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) lines.add(line);
                } catch (IOException e) {
                    lines.add("(reading the output failed: " + e + ")");
                }
            });
            reader.setDaemon(true);
            reader.start();
            return new Child(p, reader, lines, new ArrayList<>());
        }

        void awaitLine(String prefix) throws InterruptedException {
            while (true) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                assertNotNull(line, "no line starting with '" + prefix + "' in a minute: " + seen);
                seen.add(line);
                if (line.startsWith(prefix)) return;
            }
        }

        int waitFor() throws InterruptedException {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child ended");
            reader.join(10_000); // its last lines
            lines.drainTo(seen);
            return process.exitValue();
        }

        String output() {
            return String.join("\n", seen);
        }
    }
}
