package dev.nnc.compiler.loop;

import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.loop.Loop.*;
import dev.nnc.compiler.source.CompilerBug;

import java.util.List;

import static dev.nnc.compiler.loop.Loop.*;

/**
 * Batch normalization's kernels to loop nests. Their tensors are rows of [pixels,
 * channels], which are n * pixels rows of [channels] (n the rows computed): loop q
 * over those, c over the channels, so that the inner loop runs along memory and the
 * Vector API helper can take it. Statistics are per channel, over the n * pixels
 * values of each; a kernel that needs per-channel values of its own keeps them in
 * scratch arrays named after it.
 */
final class ChannelLowering {
    private final Buffers buffers;
    private final List<Scratch> scratch;

    ChannelLowering(Buffers buffers, List<Scratch> scratch) {
        this.buffers = buffers;
        this.scratch = scratch;
    }

    static boolean handles(Op op) {
        return op instanceof Op.ChannelMean || op instanceof Op.ChannelVariance || op instanceof Op.Normalize
                || op instanceof Op.ChannelAffine || op instanceof Op.ChannelScale || op instanceof Op.NormalizeGrad
                || op instanceof Op.RunningChange;
    }

    List<Stmt> lower(Node n, String kernelName) {
        Op op = n.op();
        if (op instanceof Op.ChannelMean m) return mean(n, m.channels());
        if (op instanceof Op.ChannelVariance v) return variance(n, v.channels());
        if (op instanceof Op.Normalize z) return normalize(n, z, kernelName);
        if (op instanceof Op.ChannelAffine a) {
            return perElement(n, a.channels(), plus(times(at(n.input(0), a.channels()), perChannel(n.input(1))), perChannel(n.input(2))));
        }
        if (op instanceof Op.ChannelScale s) return perElement(n, s.channels(), times(at(n.input(0), s.channels()), perChannel(n.input(1))));
        if (op instanceof Op.NormalizeGrad g) return normalizeGradient(n, g, kernelName);
        if (op instanceof Op.RunningChange r) return runningChange(n, r);
        throw new CompilerBug("no channel kernel for " + op);
    }

    /** mean[c] = the sum of x over q / (n * pixels). */
    private List<Stmt> mean(Node n, int channels) {
        String out = buffers.name(n);
        return List.of(
                loop("c", c(channels), store(out, v("c"), k(0))),
                loop("q", values(n.input(0), channels), loop("c", c(channels),
                        store(out, v("c"), plus(new Load(out, v("c")), at(n.input(0), channels))))),
                loop("c", c(channels), store(out, v("c"), div(new Load(out, v("c")), count(n.input(0), channels)))));
    }

    /** var[c] = the sum of (x - mean[c])² over q / (n * pixels): the biased variance, which normalization uses. */
    private List<Stmt> variance(Node n, int channels) {
        String out = buffers.name(n);
        return List.of(
                loop("c", c(channels), store(out, v("c"), k(0))),
                loop("q", values(n.input(0), channels), loop("c", c(channels),
                        set("d", minus(at(n.input(0), channels), perChannel(n.input(1)))),
                        store(out, v("c"), plus(new Load(out, v("c")), times(new Var("d"), new Var("d")))))),
                loop("c", c(channels), store(out, v("c"), div(new Load(out, v("c")), count(n.input(0), channels)))));
    }

    /** x̂ = (x - mean[c]) * inv[c], with inv[c] = 1 / sqrt(var[c] + eps) computed once per channel. */
    private List<Stmt> normalize(Node n, Op.Normalize z, String kernelName) {
        int channels = z.channels();
        String inv = scratch(kernelName + "_inv", channels);
        return List.of(
                inverseDeviations(inv, n.input(2), channels, z.eps()),
                perElementLoop(n, channels, times(minus(at(n.input(0), channels), perChannel(n.input(1))), new Load(inv, v("c")))));
    }

    /**
     * dx = inv[c] * (dx̂ - mean[c](dx̂) - x̂ * mean[c](dx̂ x̂)), from (x̂, var, dx̂): the
     * gradient through the normalization and through the batch's mean and variance.
     */
    private List<Stmt> normalizeGradient(Node n, Op.NormalizeGrad g, String kernelName) {
        int channels = g.channels();
        String inv = scratch(kernelName + "_inv", channels);
        String meanGrad = scratch(kernelName + "_mean", channels);
        String meanGradXhat = scratch(kernelName + "_mean_xhat", channels);
        Node xhat = n.input(0);
        Node dxhat = n.input(2);
        Value count = count(xhat, channels);
        return List.of(
                loop("c", c(channels), store(meanGrad, v("c"), k(0)), store(meanGradXhat, v("c"), k(0))),
                loop("q", values(xhat, channels), loop("c", c(channels),
                        set("d", at(dxhat, channels)),
                        store(meanGrad, v("c"), plus(new Load(meanGrad, v("c")), new Var("d"))),
                        store(meanGradXhat, v("c"), plus(new Load(meanGradXhat, v("c")), times(new Var("d"), at(xhat, channels)))))),
                loop("c", c(channels),
                        store(meanGrad, v("c"), div(new Load(meanGrad, v("c")), count)),
                        store(meanGradXhat, v("c"), div(new Load(meanGradXhat, v("c")), count))),
                inverseDeviations(inv, n.input(1), channels, g.eps()),
                perElementLoop(n, channels, times(new Load(inv, v("c")), minus(minus(at(dxhat, channels),
                        new Load(meanGrad, v("c"))), times(at(xhat, channels), new Load(meanGradXhat, v("c")))))));
    }

    /**
     * (1 - momentum) * (statistic * correction - running) * n / batch: this part's share
     * of the step's change; a variance is corrected to the unbiased one, m / (m - 1) over
     * m = n * pixels values (1 when m is 1).
     */
    private List<Stmt> runningChange(Node n, Op.RunningChange r) {
        String out = buffers.name(n);
        Value values = new IndexValue(mul(ROWS, c(r.pixels())));
        Value correction = r.unbiased() ? select(CmpOp.GT, values, k(1), div(values, minus(values, k(1))), k(1)) : k(1);
        Value share = div(new IndexValue(ROWS), new Var(Buffers.BATCH));
        Value statistic = times(new Load(buffers.name(n.input(0)), v("c")), correction);
        return List.of(loop("c", c(n.shape().size()), store(out, v("c"),
                times(times(k(1 - r.momentum()), minus(statistic, new Load(buffers.name(n.input(1)), v("c")))), share))));
    }

    private Stmt inverseDeviations(String inv, Node variance, int channels, double eps) {
        return loop("c", c(channels), store(inv, v("c"), div(k(1), fn(Fn.SQRT, plus(perChannel(variance), k(eps))))));
    }

    private List<Stmt> perElement(Node n, int channels, Value value) {
        return List.of(perElementLoop(n, channels, value));
    }

    /** out[q][c] = value, for every element of the batch. */
    private Stmt perElementLoop(Node n, int channels, Value value) {
        return loop("q", values(n, channels), loop("c", c(channels), store(buffers.name(n), element(channels), value)));
    }

    /** The rows of [channels] of a batched tensor: n * pixels. */
    private static Index values(Node n, int channels) {
        return mul(ROWS, c(n.shape().size() / channels));
    }

    private static Value count(Node n, int channels) {
        return new IndexValue(values(n, channels));
    }

    private static Index element(int channels) {
        return add(mul(v("q"), c(channels)), v("c"));
    }

    private Value at(Node n, int channels) {
        return new Load(buffers.name(n), element(channels));
    }

    private Value perChannel(Node n) {
        return new Load(buffers.name(n), v("c"));
    }

    private String scratch(String name, int size) {
        scratch.add(new Scratch(name, false, size));
        return name;
    }
}
