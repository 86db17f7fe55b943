package dev.nnc.tests;

import dev.nnc.compiler.Frontend;
import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Lowering;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.PoolCoverageRewrite;
import dev.nnc.compiler.source.SourceFile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A convolution whose pool reads only part of its output computes only that part: 2 x 2
 * windows over an 11 x 11 output read 10 x 10 of it. Not when anything else reads the
 * convolution. (That the cropped code computes what the model says is the business of
 * the gradient check and the reference evaluator, in PropertiesTest and GradientCheckTest,
 * whose random networks pool odd sizes, and of TorchInteropTest.)
 */
class PoolCoverageTest {

    private static Graph rewritten(String features, String output) {
        String program = """
                model Crop {
                    input  x: [13, 13, 2]
                    target y: class[2]
                    features = %s
                    output p = %s
                    loss      cross_entropy(p, y)
                    optimizer sgd(lr = 0.1)
                }
                """.formatted(features, output);
        return PoolCoverageRewrite.rewrite(Lowering.inference(Frontend.check(SourceFile.of("crop.nn", program))));
    }

    private static List<Op> ops(Graph graph, Class<? extends Op> kind) {
        return graph.nodes().stream().map(Node::op).filter(kind::isInstance).toList();
    }

    @Test
    void theConvolutionStopsWhereThePoolsWindowsStop() {
        Graph graph = rewritten("x -> conv2d(16, kernel = 3) -> relu",
                "features -> maxpool(2) -> flatten -> dense(2) -> softmax");
        Op.Conv2d conv = (Op.Conv2d) ops(graph, Op.Conv2d.class).get(0);
        assertEquals(10, conv.window().outHeight());
        assertEquals(10, conv.window().outWidth());
        assertEquals(13, conv.window().height(), "the input stays whole");
        Op.Pool pool = (Op.Pool) ops(graph, Op.Pool.class).get(0);
        assertEquals(10, pool.window().height());
        assertEquals(5, pool.window().outHeight());
    }

    @Test
    void aConvolutionThatSomethingElseReadsStaysWhole() {
        Graph graph = rewritten("x -> conv2d(16, kernel = 3) -> relu",
                "((features -> maxpool(2) -> flatten -> dense(2)) + (features -> flatten -> dense(2))) -> softmax");
        Op.Conv2d conv = (Op.Conv2d) ops(graph, Op.Conv2d.class).get(0);
        assertEquals(11, conv.window().outHeight());
    }

    @Test
    void aPoolThatCoversItsInputChangesNothing() {
        Graph before = Lowering.inference(Frontend.check(SourceFile.of("crop.nn", """
                model Whole {
                    input  x: [14, 14, 2]
                    target y: class[2]
                    output p = x -> conv2d(16, kernel = 3) -> relu -> maxpool(2) -> flatten -> dense(2) -> softmax
                    loss      cross_entropy(p, y)
                    optimizer sgd(lr = 0.1)
                }
                """)));
        assertSame(before, PoolCoverageRewrite.rewrite(before));
    }
}
