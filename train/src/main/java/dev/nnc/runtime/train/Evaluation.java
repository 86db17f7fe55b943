package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;

/** The mean loss and the score of a network over a whole dataset, in inference mode. */
public record Evaluation(double loss, double score) {

    public static Evaluation of(Network network, Scores scores, Dataset data) {
        int chunk = network.maxBatch();
        float[] x = new float[chunk * data.inputWidth()];
        float[] y = new float[chunk * data.targetWidth()];
        double lossSum = 0;
        double scoreSum = 0;
        for (int from = 0; from < data.rows(); from += chunk) {
            int n = Math.min(chunk, data.rows() - from);
            data.copyRows(from, n, x, y);
            lossSum += network.evaluate(x, y, n) * n;
            scoreSum += scores.score(network.predictions(), y, 0, n);
        }
        return new Evaluation(lossSum / data.rows(), scoreSum / scores.count(data.rows()));
    }
}
