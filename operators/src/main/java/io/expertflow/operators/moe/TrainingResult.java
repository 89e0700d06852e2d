package io.expertflow.operators.moe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link MoeHeadTrainer#train}.
 *
 * @param weights the weights of the best epoch (by the validation score, else the last)
 * @param bestEpoch the epoch those weights come from (1-based)
 * @param history one report per epoch
 * @param trainLoad how the training samples spread over the experts under the returned weights
 * @param reservoir per-expert replay reservoir of training samples under the returned weights
 * @param linearStart the logistic regression the dense start began as, when it did ({@link
 *     MoeTrainingConfig.Start#UPCYCLED_FROM_LINEAR}): the baseline on the same samples, so that
 *     nobody trains it twice
 * @param revivedExperts experts no routing sample chose after training, each given the sample it
 *     was closest to winning ({@code RouteBalancer.revive}), in the order revived; empty if none
 *     was idle
 */
public record TrainingResult(
    MoeHeadWeights weights,
    int bestEpoch,
    List<EpochReport> history,
    ExpertLoad trainLoad,
    ReplayReservoir reservoir,
    Optional<LinearProbe> linearStart,
    List<Integer> revivedExperts) {
  public TrainingResult {
    history = List.copyOf(history);
    revivedExperts = List.copyOf(revivedExperts);
    Objects.requireNonNull(linearStart, "linearStart");
  }
}
