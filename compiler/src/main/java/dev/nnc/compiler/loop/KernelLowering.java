package dev.nnc.compiler.loop;

import dev.nnc.compiler.fuse.Kernel;
import dev.nnc.compiler.ir.*;
import dev.nnc.compiler.loop.Loop.*;
import dev.nnc.compiler.source.CompilerBug;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.nnc.compiler.loop.Loop.*;

/**
 * Kernels to loop nests. Element-wise kernels loop over the output's rows and columns
 * and compute each fused node into a local, in order; the one fused matmul is an inner
 * accumulation loop. Row kernels (softmax, losses, sums) and the optimizer updates are
 * written out here, one method each, with the formulas of the activations and losses.
 */
public final class KernelLowering {
    private final Buffers buffers;
    private final List<VectorMatMul> vectorKernels;
    private final List<VectorLoop> vectorLoops;
    private final Map<String, PackedWeight> packedWeights;
    private final List<Scratch> scratch = new ArrayList<>();
    private final ImageLowering images;
    private final ChannelLowering channels;

    /**
     * {@code vectorKernels} and {@code vectorLoops}: where to add the Vector API products
     * and loops, or null for scalar code only; {@code packedWeights}: where to add the
     * weights whose products run packed (prediction only, where weights do not change),
     * or null for none.
     */
    public KernelLowering(Buffers buffers, List<VectorMatMul> vectorKernels, List<VectorLoop> vectorLoops,
                          Map<String, PackedWeight> packedWeights) {
        this.buffers = buffers;
        this.vectorKernels = vectorKernels;
        this.vectorLoops = vectorLoops;
        this.packedWeights = packedWeights;
        this.images = new ImageLowering(buffers, vectorKernels == null ? null : scratch, packedWeights);
        this.channels = new ChannelLowering(buffers, scratch);
    }

    /** The work arrays the runtime kernels of the kernels lowered so far need. */
    public List<Scratch> scratch() {
        return List.copyOf(scratch);
    }

    /** The loop nest of a kernel; {@code name} is the method it becomes. */
    public List<Stmt> lower(Kernel kernel, String name) {
        if (kernel instanceof Kernel.Pointwise p) {
            Optional<VectorMatMul> product = vectorKernels == null ? Optional.empty() : vectorProduct(p);
            if (product.isEmpty()) return vectorized(pointwise(p, false), name);
            if (!vectorKernels.contains(product.get())) vectorKernels.add(product.get());
            Node mm = p.fused().stream().filter(n -> n.op() instanceof Op.MatMul).findFirst().orElseThrow();
            String work = null;
            if (product.get().dot()) {
                work = name + "_work";
                scratch.add(new Scratch(work, false, product.get().scratchSize()));
            }
            List<Stmt> vector = new ArrayList<>();
            vector.add(packed(mm, product.get(), new VectorCall(product.get().name(), buffers.name(mm.input(0)),
                    buffers.name(mm.input(1)), buffers.name(p.output()), work, dimension(product.get().m()))));
            if (p.fused().size() > 1) vector.addAll(vectorized(pointwise(p, true), name));
            return List.of(new Choose(vector, pointwise(p, false)));
        }
        if (kernel instanceof Kernel.Update) throw new CompilerBug("an update kernel is lowered a slice at a time: " + name);
        if (kernel instanceof Kernel.SoftmaxCrossEntropy s) return softmaxCrossEntropy(s);
        if (kernel instanceof Kernel.ConvRelu c) return images.convolution(c.conv(), c.relu(), name);
        if (ImageLowering.handles(kernel.output().op())) return images.lower(kernel.output(), name);
        if (ChannelLowering.handles(kernel.output().op())) return vectorized(channels.lower(kernel.output(), name), name);
        return vectorized(reduction(kernel.output()), name);
    }

    /** The product through the packed weight when it multiplies by a weight's transpose in prediction. */
    private Stmt packed(Node mm, VectorMatMul product, VectorCall call) {
        Node weight = mm.input(1);
        if (packedWeights == null || !product.dot() || !(weight.op() instanceof Op.Parameter)) return call;
        String parameter = buffers.name(weight);
        PackedWeight packed = packedWeights.computeIfAbsent(parameter,
                name -> PackedWeight.matrix(name, product.n(), product.k()));
        return new PackedProduct(call.a(), packed, call.out(), call.rows(), call);
    }

    /** One slice of an optimizer update (see {@link dev.nnc.runtime.UpdateSlices}); empty when the slice is. */
    public List<Stmt> lowerUpdate(Kernel.Update update, int slice, String name) {
        return vectorized(UpdateLowering.lower(update, slice), name);
    }

    // ---- element-wise kernels with an optional matmul ----

    /**
     * Offers each top-level loop, or the inner loop of a loop over rows, to the Vector API
     * helper; the scalar statements stay as the fallback.
     */
    private List<Stmt> vectorized(List<Stmt> scalar, String name) {
        if (vectorLoops == null) return scalar;
        List<Stmt> vector = new ArrayList<>();
        boolean any = false;
        for (Stmt s : scalar) {
            Optional<Stmt> v = vectorLoop(s, name).or(() -> s instanceof For rows && rows.body().size() == 1
                    ? vectorLoop(rows.body().get(0), name).map(inner -> new For(rows.var(), rows.from(), rows.to(), List.of(inner)))
                    : Optional.empty());
            any |= v.isPresent();
            vector.add(v.orElse(s));
        }
        return any ? List.of(new Choose(vector, scalar)) : scalar;
    }

    private Optional<Stmt> vectorLoop(Stmt s, String name) {
        Optional<VectorLoop> loop = VectorLoop.of(name + "_loop" + vectorLoops.size(), s).filter(l -> l.size() >= VECTOR_MINIMUM)
                .map(this::shared);
        return loop.map(l -> new VectorLoopCall(l, l.reduction()));
    }

    /** The loop, run by the helper method of an earlier loop of the same shape if there is one, else by its own. */
    private VectorLoop shared(VectorLoop loop) {
        List<Object> shape = loop.methodShape();
        for (VectorLoop earlier : vectorLoops) {
            if (earlier.methodShape().equals(shape)) return loop.runBy(earlier.name());
        }
        vectorLoops.add(loop);
        return loop;
    }

    /**
     * Element-wise loops shorter than this stay scalar (a loop shorter than a vector
     * runs its scalar tail only); so do axpy products with rows of c this short. Dot
     * products need no minimum: on the 4-16-3 net, a dot product over 4 inputs took
     * 2.1 us a step with the vector helper against 2.8 us in the scalar loops.
     */
    private static final int VECTOR_MINIMUM = 8;

    /** The Vector API form of the kernel's matmul, when it has one of the forms the helper class computes. */
    private static Optional<VectorMatMul> vectorProduct(Kernel.Pointwise kernel) {
        for (Node n : kernel.fused()) {
            if (!(n.op() instanceof Op.MatMul m)) continue;
            Shape a = n.input(0).shape();
            Shape b = n.input(1).shape();
            VectorMatMul product;
            if (!m.transposeA() && m.transposeB()) {
                product = VectorMatMul.of(true, false, a.rows(), b.rows(), a.columns());
            } else if (!m.transposeA()) {
                product = VectorMatMul.of(false, false, a.rows(), b.columns(), a.columns());
            } else if (!m.transposeB()) {
                product = VectorMatMul.of(false, true, a.columns(), b.columns(), a.rows());
            } else {
                return Optional.empty();
            }
            // rows of c narrower than a vector would be all edge: the scalar loops do those better
            return product.dot() || product.n() >= VECTOR_MINIMUM ? Optional.of(product) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The element-wise loop; when {@code productInOutput} the matmul was already
     * computed into the output buffer and this is only its epilogue.
     */
    private List<Stmt> pointwise(Kernel.Pointwise kernel, boolean productInOutput) {
        Node out = kernel.output();
        Shape shape = out.shape();
        Index rows = shape.batched() ? ROWS : c(shape.rows());
        int columns = shape.columns();
        List<Stmt> body = new ArrayList<>();
        for (Node n : kernel.fused()) {
            if (n.op() instanceof Op.MatMul && productInOutput) {
                body.add(set(local(n), new Load(buffers.name(out), add(mul(v("r"), c(columns)), v("j")))));
            } else if (n.op() instanceof Op.MatMul) {
                body.addAll(matMul(n));
            } else {
                body.add(set(local(n), formula(n, kernel.fused())));
            }
        }
        body.add(store(buffers.name(out), add(mul(v("r"), c(columns)), v("j")), new Var(local(out))));
        return List.of(loop("r", rows, loop("j", c(columns), body)));
    }

    private static String local(Node n) {
        return "v" + n.id();
    }

    /** Reads an input of a fused node: its local when fused, else its buffer at (r, j). */
    private Value read(Node input, List<Node> fused) {
        if (fused.contains(input)) return new Var(local(input));
        return element(input, v("r"), v("j"));
    }

    private Value element(Node node, Index row, Index column) {
        Shape s = node.shape();
        if (!s.batched() && s.dims().size() == 1) return new Load(buffers.name(node), column);
        return new Load(buffers.name(node), add(mul(row, c(s.columns())), column));
    }

    /** acc = sum_k A'(r, k) B'(k, j), for the matmul's output element (r, j). */
    private List<Stmt> matMul(Node n) {
        Op.MatMul m = (Op.MatMul) n.op();
        Node a = n.input(0);
        Node b = n.input(1);
        Index inner = dimension(m.transposeA() ? a.shape().rows() : a.shape().columns());
        Value left = m.transposeA() ? element(a, v("k"), v("r")) : element(a, v("r"), v("k"));
        Value right = m.transposeB() ? element(b, v("j"), v("k")) : element(b, v("k"), v("j"));
        String acc = local(n);
        return List.of(set(acc, k(0)), loop("k", inner, set(acc, plus(new Var(acc), times(left, right)))));
    }

    private static Index dimension(int d) {
        return d == Shape.BATCH ? ROWS : c(d);
    }

    private Value formula(Node n, List<Node> fused) {
        Op op = n.op();
        Value a = read(n.input(0), fused);
        if (op instanceof Op.Add || op instanceof Op.BiasAdd) return plus(a, read(n.input(1), fused));
        if (op instanceof Op.Mul) return times(a, read(n.input(1), fused));
        if (op instanceof Op.Copy) return a;
        if (op instanceof Op.Act act) return Formulas.activation(act.activation(), act.alpha(), a);
        if (op instanceof Op.ActDerivative d) return Formulas.derivative(d.activation(), d.alpha(), a);
        Value batch = new Var(Buffers.BATCH);
        if (op instanceof Op.LossGrad g) {
            Value t = g.loss() == Loss.CROSS_ENTROPY ? new Load(buffers.name(n.input(1)), v("r"))
                    : element(n.input(1), v("r"), v("j"));
            Value count = times(batch, k(n.shape().size()));
            return Formulas.lossGradient(g.loss(), a, t, new IndexValue(v("j")), batch, count);
        }
        if (op instanceof Op.SoftmaxCrossEntropyGrad) {
            Value label = new Load(buffers.name(n.input(1)), v("r"));
            return div(minus(a, select(CmpOp.EQ, label, new IndexValue(v("j")), k(1), k(0))), batch);
        }
        if (op instanceof Op.SigmoidBinaryCrossEntropyGrad || op instanceof Op.PerceptronGrad) {
            return div(minus(a, element(n.input(1), v("r"), v("j"))), batch);
        }
        throw new CompilerBug("no element-wise formula for " + op);
    }

    // ---- row and batch kernels ----

    private List<Stmt> reduction(Node n) {
        Op op = n.op();
        if (op instanceof Op.Softmax) return softmax(n);
        if (op instanceof Op.SoftmaxGrad) return softmaxGrad(n);
        if (op instanceof Op.SumRows) return sumRows(n);
        if (op instanceof Op.DropoutMask d) return mask(n, d);
        // (SoftmaxCrossEntropy always travels with its softmax: Fusion makes them one kernel)
        if (op instanceof Op.LossValue || op instanceof Op.SigmoidBinaryCrossEntropy || op instanceof Op.PerceptronCriterion) {
            return loss(n);
        }
        throw new CompilerBug("no kernel for " + op);
    }

    /** Rows of at most this many outputs take the runtime's softmax, a row per lane of 512-bit vectors. */
    private static final int SOFTMAX_VECTOR_WIDTH = 16;
    /**
     * The runtime softmax's work array, which every softmax kernel of a network shares (not
     * named s...: the class emitter takes those for optimizer state, which replicas share).
     */
    private static final String SOFTMAX_WORK = "work_softmax";

    /**
     * Softmax over each row: with the Vector API on 512-bit vectors, the runtime's, for
     * rows of at most 16 outputs (see {@link dev.nnc.runtime.vector.Softmax}); else loops.
     */
    private List<Stmt> softmax(Node n) {
        List<Stmt> scalar = softmaxLoops(n);
        Shape z = n.input(0).shape();
        int w = n.shape().size();
        if (vectorLoops == null || !z.batched() || z.columns() != w || w > SOFTMAX_VECTOR_WIDTH) return scalar;
        if (scratch.stream().noneMatch(s -> s.name().equals(SOFTMAX_WORK))) {
            scratch.add(new Scratch(SOFTMAX_WORK, false, dev.nnc.runtime.vector.Softmax.WORK));
        }
        return List.of(new RuntimeCall("Softmax", "rows", List.of(buffers.name(n.input(0)), buffers.name(n), SOFTMAX_WORK),
                List.of(ROWS, c(w)), scalar));
    }

    private List<Stmt> softmaxLoops(Node n) {
        Node z = n.input(0);
        int w = n.shape().size();
        String out = buffers.name(n);
        Index at = add(mul(v("r"), c(w)), v("j"));
        return List.of(loop("r", ROWS,
                set("max", k(Double.NEGATIVE_INFINITY)),
                loop("j", c(w), set("max", new Bin(BinOp.MAX, new Var("max"), element(z, v("r"), v("j"))))),
                set("sum", k(0)),
                loop("j", c(w),
                        set("e", fn(Fn.EXP, minus(element(z, v("r"), v("j")), new Var("max")))),
                        store(out, at, new Var("e")),
                        set("sum", plus(new Var("sum"), new Var("e")))),
                loop("j", c(w), store(out, at, div(new Load(out, at), new Var("sum"))))));
    }

    /** One pass per row: softmax into its buffer, the loss from log-sum-exp, the gradient at the logits. */
    private List<Stmt> softmaxCrossEntropy(Kernel.SoftmaxCrossEntropy k) {
        Node z = k.softmax().input(0);
        int w = k.softmax().shape().size();
        String y = buffers.name(k.softmax());
        Index at = add(mul(v("r"), c(w)), v("j"));
        Value label = new Load(buffers.name(k.loss().input(1)), v("r"));
        Value isLabel = select(CmpOp.EQ, label, new IndexValue(v("j")), k(1), k(0));
        Value logit = element(z, v("r"), v("j"));
        List<Stmt> row = new ArrayList<>(List.of(
                set("max", k(Double.NEGATIVE_INFINITY)),
                loop("j", c(w), set("max", new Bin(BinOp.MAX, new Var("max"), logit))),
                set("sum", k(0)),
                set("picked", k(0)),
                loop("j", c(w),
                        set("e", fn(Fn.EXP, minus(logit, new Var("max")))),
                        store(y, at, new Var("e")),
                        set("sum", plus(new Var("sum"), new Var("e"))),
                        set("picked", plus(new Var("picked"), times(isLabel, logit)))),
                set("total", plus(new Var("total"), minus(plus(new Var("max"), fn(Fn.LOG, new Var("sum"))), new Var("picked"))))));
        List<Stmt> normalize = new ArrayList<>(List.of(set("p", div(new Load(y, at), new Var("sum"))), store(y, at, new Var("p"))));
        if (k.gradient() != null) {
            normalize.add(store(buffers.name(k.gradient()), at, div(minus(new Var("p"), isLabel), new Var(Buffers.BATCH))));
        }
        row.add(loop("j", c(w), normalize));
        return List.of(set("total", k(0)), loop("r", ROWS, row), set(Buffers.LOSS, div(new Var("total"), new Var(Buffers.BATCH))));
    }

    private List<Stmt> softmaxGrad(Node n) {
        Node y = n.input(0);
        Node dy = n.input(1);
        int w = n.shape().size();
        Index at = add(mul(v("r"), c(w)), v("j"));
        return List.of(loop("r", ROWS,
                set("dot", k(0)),
                loop("j", c(w), set("dot", plus(new Var("dot"), times(new Load(buffers.name(y), at), new Load(buffers.name(dy), at))))),
                loop("j", c(w), store(buffers.name(n), at,
                        times(new Load(buffers.name(y), at), minus(new Load(buffers.name(dy), at), new Var("dot")))))));
    }

    private List<Stmt> sumRows(Node n) {
        return columnSums(buffers.name(n), buffers.name(n.input(0)), n.shape().size(), ROWS);
    }

    /** out[j] = the sum over {@code rows} rows of {@code width} of in[r][j]: a bias gradient, or a convolution's per channel. */
    static List<Stmt> columnSums(String out, String in, int width, Index rows) {
        return List.of(
                loop("j", c(width), store(out, v("j"), k(0))),
                loop("r", rows, loop("j", c(width), store(out, v("j"),
                        plus(new Load(out, v("j")), new Load(in, add(mul(v("r"), c(width)), v("j"))))))));
    }

    private List<Stmt> mask(Node n, Op.DropoutMask d) {
        int w = n.shape().size();
        return List.of(loop("r", ROWS, loop("j", c(w), store(buffers.name(n), add(mul(v("r"), c(w)), v("j")),
                select(CmpOp.LT, new Uniform(), k(d.p()), k(0), k(1 / (1 - d.p())))))));
    }

    /** Sums the loss of every row into "total", then the mean into the loss field. */
    private List<Stmt> loss(Node n) {
        Op op = n.op();
        Node prediction = n.input(0);
        Node target = n.input(1);
        int w = prediction.shape().size();
        Value p = element(prediction, v("r"), v("j"));
        Value label = new Load(buffers.name(target), v("r"));
        Value isLabel = select(CmpOp.EQ, label, new IndexValue(v("j")), k(1), k(0));
        List<Stmt> row = new ArrayList<>();
        Value divisor = new Var(Buffers.BATCH);
        if (op instanceof Op.SigmoidBinaryCrossEntropy) {
            Value t = element(target, v("r"), v("j"));
            row.add(loop("j", c(w), set("total", plus(new Var("total"),
                    minus(Formulas.activation(Activation.SOFTPLUS, 0, p), times(t, p))))));
        } else if (op instanceof Op.PerceptronCriterion) {
            Value t = element(target, v("r"), v("j"));
            row.add(loop("j", c(w), set("total", plus(new Var("total"),
                    new Bin(BinOp.MAX, k(0), times(k(-1), times(minus(times(k(2), t), k(1)), p)))))));
        } else {
            Loss loss = ((Op.LossValue) op).loss();
            Value t = loss == Loss.CROSS_ENTROPY ? isLabel : element(target, v("r"), v("j"));
            if (loss == Loss.MSE || loss == Loss.MAE) divisor = times(divisor, k(w));
            row.add(loop("j", c(w), set("total", plus(new Var("total"), Formulas.loss(loss, p, t)))));
        }
        return List.of(
                set("total", k(0)),
                loop("r", ROWS, row),
                set(Buffers.LOSS, div(new Var("total"), divisor)));
    }
}
