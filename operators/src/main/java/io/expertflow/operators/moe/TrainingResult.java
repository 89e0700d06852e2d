package io.expertflow.operators.moe;

import java.util.List;

/**
 * The outcome of {@link MoeHeadTrainer#train}.
 *
 * @param weights the weights of the best epoch (by the validation score, else the last)
 * @param bestEpoch the epoch those weights come from (1-based)
 * @param history one report per epoch
 * @param trainLoad how the training samples spread over the experts under the returned weights
 * @param reservoir per-expert replay reservoir of training samples under the returned weights
 */
public record TrainingResult(
    MoeHeadWeights weights,
    int bestEpoch,
    List<EpochReport> history,
    ExpertLoad trainLoad,
    ReplayReservoir reservoir) {
  public TrainingResult {
    history = List.copyOf(history);
  }
}
