package dev.nnc.runtime.predict;

import java.util.Arrays;
import java.util.List;

/** A model whose target is {@code class[...]}: each prediction is a {@link Classification}. */
public abstract class Classifier extends Model<Classification> {

    protected Classifier(Predictor predictor) {
        super(predictor);
    }

    /** The class names as declared, or the indices as text for {@code class[K]}. */
    public final List<String> classNames() {
        return spec().classNames();
    }

    @Override
    protected final Classification result(float[] outputs, int offset) {
        return new Classification(classNames(), Arrays.copyOfRange(outputs, offset, offset + spec().outputWidth()));
    }
}
