package dev.nnc.compiler.loop;

import dev.nnc.compiler.ir.Activation;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Window;
import dev.nnc.compiler.loop.Loop.*;
import dev.nnc.compiler.source.CompilerBug;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.nnc.compiler.loop.Loop.*;

/**
 * Image kernels to loop nests: convolution, pooling, flatten's transpose, and their
 * gradients. The scalar nests say what each computes (and are what the double-precision
 * gradient check runs); in float, each is the fallback of a call to the runtime's
 * Vector API kernel ({@code dev.nnc.runtime.vector.Conv}), which gets the window's
 * geometry as twelve ints and the scratch arrays it needs.
 *
 * <p>Rows are images [height, width, channels], channels last; a convolution's filters
 * are [filters, channels, kh, kw]. Loop variables: r the row, oy/ox the output pixel,
 * f the filter, ky/kx the place in the window, ci the input channel.
 */
final class ImageLowering {
    private final Buffers buffers;
    private final List<Scratch> scratch;
    private final Map<String, PackedWeight> packedWeights;

    /**
     * {@code scratch}: where to add the runtime kernels' scratch arrays, or null for scalar
     * nests only; {@code packedWeights}: where to add the filters prediction reads packed
     * (packed once, by packWeights, rather than at every call), or null in training.
     */
    ImageLowering(Buffers buffers, List<Scratch> scratch, Map<String, PackedWeight> packedWeights) {
        this.buffers = buffers;
        this.scratch = scratch;
        this.packedWeights = packedWeights;
    }

    static boolean handles(Op op) {
        return op instanceof Op.Conv2d || op instanceof Op.Conv2dInputGrad || op instanceof Op.Conv2dWeightGrad
                || op instanceof Op.ChannelSum || op instanceof Op.Pool || op instanceof Op.PoolGrad
                || op instanceof Op.ChannelsFirst || op instanceof Op.ChannelsLast;
    }

    List<Stmt> lower(Node n, String kernelName) {
        Op op = n.op();
        if (op instanceof Op.Conv2d) return convolution(n, null, kernelName);
        if (op instanceof Op.Conv2dInputGrad c) {
            Window g = c.window();
            if (!vector(g.channels())) return inputGradient(n, c);
            return call("Conv", "inputGradient", g, c.filters(), inputGradient(n, c), input(n, 0), input(n, 1), out(n),
                    scratch(kernelName + "_filters", false, g.kernelHeight() * g.kernelWidth() * c.filters() * panels(g.channels())),
                    scratch(kernelName + "_image", true, g.paddedHeight() * g.paddedWidth() * g.channels() + g.channels()));
        }
        if (op instanceof Op.Conv2dWeightGrad c) {
            Window g = c.window();
            if (!vector(c.filters())) return weightGradient(n, c);
            return call("Conv", "weightGradient", g, c.filters(), weightGradient(n, c), input(n, 0), input(n, 1), out(n),
                    scratch(kernelName + "_sums", false, (windowSize(g) + 1) * lanes(c.filters())),
                    padded(kernelName, g));
        }
        if (op instanceof Op.ChannelSum s) {
            // rows of [pixels, channels] are rows*pixels rows of [channels]
            int pixels = n.input(0).shape().size() / s.channels();
            List<Stmt> scalar = KernelLowering.columnSums(out(n), input(n, 0), s.channels(), mul(ROWS, c(pixels)));
            if (!vector(s.channels())) return scalar;
            return List.of(new RuntimeCall("Conv", "channelSum", List.of(input(n, 0), out(n)),
                    List.of(ROWS, c(pixels), c(s.channels())), scalar));
        }
        if (op instanceof Op.Pool p) {
            Window g = p.window();
            if (!vector(g.channels())) return pool(n, p);
            return call("Pool", p.max() ? "maxPool" : "avgPool", g, g.channels(), pool(n, p), input(n, 0), out(n));
        }
        if (op instanceof Op.PoolGrad p) {
            Window g = p.window();
            if (!vector(g.channels())) return p.max() ? maxPoolGradient(n, g) : avgPoolGradient(n, g);
            return p.max() ? call("Pool", "maxPoolGradient", g, g.channels(), maxPoolGradient(n, g),
                    input(n, 0), input(n, 1), input(n, 2), out(n), scratch(kernelName + "_left", false, VECTOR_LANES))
                    : call("Pool", "avgPoolGradient", g, g.channels(), avgPoolGradient(n, g), input(n, 0), out(n));
        }
        if (op instanceof Op.ChannelsFirst t) return transpose(n, t.pixels(), t.channels(), true);
        if (op instanceof Op.ChannelsLast t) return transpose(n, t.pixels(), t.channels(), false);
        throw new CompilerBug("no image kernel for " + op);
    }

    /** The convolution n, into its own buffer, or through the relu into relu's buffer when relu is not null. */
    List<Stmt> convolution(Node n, Node relu, String kernelName) {
        Op.Conv2d c = (Op.Conv2d) n.op();
        Window g = c.window();
        String out = buffers.name(relu == null ? n : relu);
        List<Stmt> scalar = conv2d(n, c, out, relu != null);
        if (!vector(c.filters())) return scalar;
        String bias = c.bias() ? input(n, 2) : scratch(kernelName + "_zeros", false, c.filters());
        String prepacked = packedWeights == null ? null : packedWeights.computeIfAbsent(input(n, 1), filters ->
                PackedWeight.filters(filters, c.filters(), g.channels(), g.kernelHeight(), g.kernelWidth())).field();
        List<Index> ints = new ArrayList<>(geometry(g, c.filters()));
        ints.add(c(relu == null ? 0 : 1));
        List<String> arrays = Arrays.asList(input(n, 0), input(n, 1), bias, out, prepacked,
                scratch(kernelName + "_filters", false, packedFilters(g, c.filters())), padded(kernelName, g));
        return List.of(new RuntimeCall("Conv", "forward", arrays, ints, scalar));
    }

    /**
     * Whether a runtime kernel computes it: in float, when the columns it writes in whole
     * vectors (the filters, or the channels for the gradient at the input and the pools)
     * are a multiple of 16; the scalar nest serves the others.
     */
    private boolean vector(int columns) {
        return scratch != null && columns % VECTOR_LANES == 0;
    }

    /** The runtime kernel, with the scalar nest as its fallback when the machine lacks 512-bit vectors. */
    private static List<Stmt> call(String owner, String method, Window g, int filters, List<Stmt> scalar, String... arrays) {
        return List.of(new RuntimeCall(owner, method, Arrays.asList(arrays), geometry(g, filters), scalar));
    }

    /** The twelve ints every runtime image kernel gets first: rows, then the window's geometry. */
    private static List<Index> geometry(Window g, int filters) {
        return List.of(ROWS, c(g.height()), c(g.width()), c(g.channels()), c(g.kernelHeight()), c(g.kernelWidth()),
                c(g.stride()), c(g.padTop()), c(g.padLeft()), c(g.outHeight()), c(g.outWidth()), c(filters));
    }

    /** Floats in a 512-bit vector. */
    private static final int VECTOR_LANES = 16;

    /** Floats in a row of 512-bit vectors covering {@code n}. */
    private static int lanes(int n) {
        return (n + VECTOR_LANES - 1) / VECTOR_LANES * VECTOR_LANES;
    }

    /** Filters per panel of packed filters ({@code Conv.PANEL}). */
    private static final int FILTER_PANEL = 64;

    /** Floats in filters packed for {@code Conv.forward}: whole panels of 64 filters (for the input gradient, of 64 channels). */
    private static int packedFilters(Window g, int filters) {
        return windowSize(g) * panels(filters);
    }

    /** Floats in whole panels of 64 covering n. */
    private static int panels(int n) {
        return (n + FILTER_PANEL - 1) / FILTER_PANEL * FILTER_PANEL;
    }

    private static int windowSize(Window g) {
        return g.kernelHeight() * g.kernelWidth() * g.channels();
    }

    private String scratch(String name, boolean batched, int size) {
        scratch.add(new Scratch(name, batched, size));
        return name;
    }

    /** The image with its zero padding around it, per row, or null when the window never leaves it. */
    private String padded(String kernelName, Window g) {
        return g.padded() ? scratch(kernelName + "_padded", true, g.paddedHeight() * g.paddedWidth() * g.channels()) : null;
    }

    private String input(Node n, int i) {
        return buffers.name(n.input(i));
    }

    private String out(Node n) {
        return buffers.name(n);
    }

    // ---- the scalar nests ----

    private List<Stmt> conv2d(Node n, Op.Conv2d c, String out, boolean relu) {
        Window g = c.window();
        Value product = times(new Load(input(n, 0), inputAt(g)), new Load(input(n, 1), filterAt(g)));
        Value result = relu ? Formulas.activation(Activation.RELU, 0, new Var("acc")) : new Var("acc");
        return List.of(overOutputs(g, loop("f", c(c.filters()),
                set("acc", c.bias() ? new Load(input(n, 2), v("f")) : k(0)),
                overWindow(g, set("acc", plus(new Var("acc"), product))),
                store(out, outputAt(g, c.filters(), "f"), result))));
    }

    /** dx[window element] += dy[output] * w[filter element], over every output and filter. */
    private List<Stmt> inputGradient(Node n, Op.Conv2dInputGrad c) {
        Window g = c.window();
        String dx = out(n);
        Value w = new Load(input(n, 1), filterAt(g));
        return List.of(zero(dx, true, g.inputSize()), overOutputs(g, loop("f", c(c.filters()),
                set("g", new Load(input(n, 0), outputAt(g, c.filters(), "f"))),
                overWindow(g, store(dx, inputAt(g), plus(new Load(dx, inputAt(g)), times(new Var("g"), w)))))));
    }

    /** dw[filter element] += dy[output] * x[window element], over every row and output. */
    private List<Stmt> weightGradient(Node n, Op.Conv2dWeightGrad c) {
        Window g = c.window();
        String dw = out(n);
        Value x = new Load(input(n, 0), inputAt(g));
        return List.of(zero(dw, false, n.shape().size()), overOutputs(g, loop("f", c(c.filters()),
                set("g", new Load(input(n, 1), outputAt(g, c.filters(), "f"))),
                overWindow(g, store(dw, filterAt(g), plus(new Load(dw, filterAt(g)), times(new Var("g"), x)))))));
    }

    private List<Stmt> pool(Node n, Op.Pool p) {
        Window g = p.window();
        Value x = new Load(input(n, 0), inputAt(g));
        Value result = p.max() ? new Var("acc") : div(new Var("acc"), k(g.kernelHeight() * g.kernelWidth()));
        return List.of(overOutputs(g, loop("ci", c(g.channels()),
                set("acc", k(p.max() ? Double.NEGATIVE_INFINITY : 0)),
                overPoolWindow(g, set("acc", p.max() ? new Bin(BinOp.MAX, new Var("acc"), x) : plus(new Var("acc"), x))),
                store(out(n), outputAt(g, g.channels(), "ci"), result))));
    }

    /** Each window's gradient to its first element equal to the window's maximum. */
    private List<Stmt> maxPoolGradient(Node n, Window g) {
        String dx = out(n);
        Index output = outputAt(g, g.channels(), "ci");
        Value x = new Load(input(n, 0), inputAt(g));
        Value first = select(CmpOp.EQ, new Var("found"), k(0), select(CmpOp.EQ, x, new Var("m"), new Var("g"), k(0)), k(0));
        return List.of(zero(dx, true, g.inputSize()), overOutputs(g, loop("ci", c(g.channels()),
                set("g", new Load(input(n, 2), output)),
                set("m", new Load(input(n, 1), output)),
                set("found", k(0)),
                overPoolWindow(g,
                        store(dx, inputAt(g), plus(new Load(dx, inputAt(g)), first)),
                        set("found", select(CmpOp.EQ, x, new Var("m"), k(1), new Var("found")))))));
    }

    private List<Stmt> avgPoolGradient(Node n, Window g) {
        String dx = out(n);
        return List.of(zero(dx, true, g.inputSize()), overOutputs(g, loop("ci", c(g.channels()),
                set("g", div(new Load(input(n, 0), outputAt(g, g.channels(), "ci")), k(g.kernelHeight() * g.kernelWidth()))),
                overPoolWindow(g, store(dx, inputAt(g), plus(new Load(dx, inputAt(g)), new Var("g")))))));
    }

    /** Rows of [pixels, channels] to [channels, pixels] ({@code toFirst}) or back. */
    private List<Stmt> transpose(Node n, int pixels, int channels, boolean toFirst) {
        Index row = mul(v("r"), c(pixels * channels));
        Index last = add(row, add(mul(v("p"), c(channels)), v("ci")));
        Index first = add(row, add(mul(v("ci"), c(pixels)), v("p")));
        return List.of(loop("r", ROWS, loop("p", c(pixels), loop("ci", c(channels),
                store(out(n), toFirst ? first : last, new Load(input(n, 0), toFirst ? last : first))))));
    }

    // ---- loops and indices ----

    private static Stmt zero(String array, boolean batched, int size) {
        Stmt row = loop("j", c(size), store(array, batched ? add(mul(v("r"), c(size)), v("j")) : v("j"), k(0)));
        return batched ? loop("r", ROWS, row) : row;
    }

    private static Stmt overOutputs(Window g, Stmt body) {
        return loop("r", ROWS, loop("oy", c(g.outHeight()), loop("ox", c(g.outWidth()), body)));
    }

    /** ky, kx over the part of the window inside the image (the padding is zeros), then ci over the channels. */
    private static Stmt overWindow(Window g, Stmt body) {
        Stmt channels = loop("ci", c(g.channels()), body);
        Stmt columns = new For("kx", windowStart(g.padLeft(), "ox", g.stride()),
                windowEnd(g, g.kernelWidth(), g.width() + g.padLeft(), "ox"), List.of(channels));
        return new For("ky", windowStart(g.padTop(), "oy", g.stride()),
                windowEnd(g, g.kernelHeight(), g.height() + g.padTop(), "oy"), List.of(columns));
    }

    /** The first window place inside the image: max(0, pad - o * stride). */
    private static Index windowStart(int pad, String o, int stride) {
        return pad == 0 ? c(0) : new IMax(c(0), add(c(pad), mul(v(o), c(-stride))));
    }

    /** One past the last window place inside the image: min(k, size + pad - o * stride). */
    private static Index windowEnd(Window g, int kernel, int sizeAndPad, String o) {
        return !g.padded() ? c(kernel) : new IMin(c(kernel), add(c(sizeAndPad), mul(v(o), c(-g.stride()))));
    }

    /** Pools never pad: the whole window, in the channel loop's place. */
    private static Stmt overPoolWindow(Window g, Stmt... body) {
        return loop("ky", c(g.kernelHeight()), loop("kx", c(g.kernelWidth()), body));
    }

    /** x[r][oy * stride + ky - padTop][ox * stride + kx - padLeft][ci]. */
    private static Index inputAt(Window g) {
        Index y = add(add(mul(v("oy"), c(g.stride())), v("ky")), c(-g.padTop()));
        Index x = add(add(mul(v("ox"), c(g.stride())), v("kx")), c(-g.padLeft()));
        return add(mul(v("r"), c(g.inputSize())), add(mul(add(mul(y, c(g.width())), x), c(g.channels())), v("ci")));
    }

    /** w[f][ci][ky][kx]. */
    private static Index filterAt(Window g) {
        return add(mul(add(mul(add(mul(v("f"), c(g.channels())), v("ci")), c(g.kernelHeight())), v("ky")), c(g.kernelWidth())), v("kx"));
    }

    /** out[r][oy][ox][channel]. */
    private static Index outputAt(Window g, int channels, String channel) {
        Index pixel = add(mul(add(mul(v("r"), c(g.outHeight())), v("oy")), c(g.outWidth())), v("ox"));
        return add(mul(pixel, c(channels)), v(channel));
    }
}
