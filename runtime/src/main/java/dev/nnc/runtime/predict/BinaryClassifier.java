package dev.nnc.runtime.predict;

/** A model whose target is {@code binary}: each prediction is a {@link BinaryClassification}. */
public abstract class BinaryClassifier extends Model<BinaryClassification> {

    protected BinaryClassifier(Predictor predictor) {
        super(predictor);
    }

    @Override
    protected final BinaryClassification result(float[] outputs, int offset) {
        // hinge scores are signed margins; every other binary output is a probability or a 0/1 step
        double threshold = spec().loss().equals("hinge") ? 0 : 0.5;
        return new BinaryClassification(outputs[offset], outputs[offset] > threshold);
    }
}
