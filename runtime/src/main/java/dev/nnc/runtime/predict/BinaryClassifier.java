package dev.nnc.runtime.predict;

/** A model whose target is {@code binary}: each prediction is a {@link BinaryClassification}. */
public abstract class BinaryClassifier extends Model<BinaryClassification> {

    protected BinaryClassifier(Predictor predictor) {
        super(predictor);
    }

    @Override
    protected final BinaryClassification result(float[] outputs, int offset) {
        return new BinaryClassification(outputs[offset], outputs[offset] > spec().binaryThreshold());
    }
}
