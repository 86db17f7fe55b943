package dev.nnc.runtime.predict;

/**
 * The prediction of a {@code binary} target.
 *
 * @param probability the network's output: the probability of the positive class with a
 *        sigmoid output (as {@code binary_cross_entropy} needs), else its raw score
 * @param positive whether the positive class (label 1) is predicted
 */
public record BinaryClassification(float probability, boolean positive) {}
