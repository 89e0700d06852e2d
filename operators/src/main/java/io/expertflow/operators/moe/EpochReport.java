package io.expertflow.operators.moe;

/**
 * What one training epoch achieved.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy over the epoch's training samples
 * @param trainAccuracy accuracy on the training samples as routed during the epoch
 * @param validationAccuracy accuracy on the validation set after the epoch (NaN without one)
 * @param validationLoss mean cross-entropy on the validation set after the epoch (NaN without one)
 * @param deadExperts experts that no training sample chose during the epoch
 * @param maxShare the largest share of the epoch's samples that chose one expert
 */
public record EpochReport(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationAccuracy,
    double validationLoss,
    int deadExperts,
    double maxShare) {}
