package io.expertflow.operators.moe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Auxiliary-loss-free load balancing of an MoE head's routing biases, for {@link MoeHeadTrainer}:
 * after each batch every expert's bias moves by {@code u * sign(meanLoad - load[e])} and the biases
 * are re-centred. The bias only decides which experts are chosen, never the gate weights or the
 * loss, so balancing does not pull against accuracy. Immutable; each call owns its own state.
 */
final class RouteBalancer {
  /** Passes of routing alone that {@link #settle} makes over the routing samples. */
  static final int SETTLING_PASSES = 3;

  /**
   * How many routing samples, as a multiple of the batch size, each balancing step while training
   * routes to count the experts' load ({@link #countDraw}). The step still compares that load with
   * the batch's mean load ({@code batch * k / E}, 0.5 at the default 128 experts, top 2 and batch
   * 32), so an expert rises when none of the draw's samples chose it and falls otherwise: the step
   * lifts the experts that starve, rather than evening out shares. Measured over eight seeds
   * (docs/MODEL.md), this left no expert without a document, where comparing with the draw's own
   * mean load (2) kept that but lost genre accuracy.
   */
  static final int ROUTING_DRAW = 4;

  /** How far past the sample's last-chosen expert a revived expert's score lands. */
  static final float REVIVAL_MARGIN = 1e-4f;

  private final MoeTrainingConfig config;

  RouteBalancer(MoeTrainingConfig config) {
    this.config = config;
  }

  /**
   * Balances the routing of a head whose experts are all still the dense start, before it
   * specialises: only the routing biases move, by {@link #step}, over {@link #SETTLING_PASSES}
   * passes of {@code routing} in batches. Identical experts predict the same whichever are chosen,
   * so the head's answers do not change (up to the rounding of gate weights that sum to one), but
   * its load no longer follows the untrained random gate, which left experts without a document.
   */
  void settle(MoeHeadWeights weights, List<LabeledEmbedding> routing) {
    MoeHeadConfig head = weights.config();
    MoeHeadReference reference = new MoeHeadReference(weights);
    Random random = new Random(config.seed() ^ 0x5E771EL);
    int[] order = MoeHeadTrainer.identity(routing.size());
    int[] load = new int[head.experts()];
    for (int pass = 0; pass < SETTLING_PASSES; pass++) {
      MoeHeadTrainer.shuffle(order, random);
      for (int start = 0; start < order.length; start += config.batchSize()) {
        int end = Math.min(order.length, start + config.batchSize());
        Arrays.fill(load, 0);
        for (int i = start; i < end; i++) {
          for (int e : reference.select(reference.gateLogits(routing.get(order[i]).embedding()))) {
            load[e]++;
          }
        }
        step(weights.routeBias, load, end - start, head.topK());
      }
    }
  }

  /**
   * Gives each expert that no sample of {@code routing} chooses the sample it is closest to
   * winning: its routing bias rises by the least that puts it among that sample's k chosen experts
   * (plus {@link #REVIVAL_MARGIN}), taking the sample from the expert chosen last there. Samples
   * whose last-chosen expert has no other sample are left alone, so no expert goes idle to revive
   * another. Gate weights and experts are untouched, and a head with no idle expert is left exactly
   * as it is. Repeats over the experts still idle until none is or a pass revives none.
   *
   * @return the experts revived, in the order revived
   */
  static List<Integer> revive(MoeHeadWeights weights, List<LabeledEmbedding> routing) {
    MoeHeadConfig head = weights.config();
    MoeHeadReference reference = new MoeHeadReference(weights);
    List<float[]> logits = new ArrayList<>(routing.size());
    routing.forEach(s -> logits.add(reference.gateLogits(s.embedding())));
    List<Integer> revived = new ArrayList<>();
    for (int pass = 0; pass < head.experts(); pass++) {
      int[] load = new int[head.experts()];
      List<int[]> chosen = new ArrayList<>(logits.size());
      for (float[] g : logits) {
        int[] c = reference.select(g);
        chosen.add(c);
        for (int e : c) {
          load[e]++;
        }
      }
      boolean any = false;
      for (int e = 0; e < load.length; e++) {
        if (load[e] > 0) {
          continue;
        }
        float least = Float.POSITIVE_INFINITY;
        for (int i = 0; i < logits.size(); i++) {
          int last = chosen.get(i)[head.topK() - 1];
          if (load[last] < 2) {
            continue;
          }
          float[] g = logits.get(i);
          float gap = (g[last] + weights.routeBias[last]) - (g[e] + weights.routeBias[e]);
          least = Math.min(least, gap);
        }
        if (least == Float.POSITIVE_INFINITY) {
          continue;
        }
        weights.routeBias[e] += least + REVIVAL_MARGIN;
        revived.add(e);
        any = true;
        break; // the loads changed: count them again
      }
      if (!any) {
        break;
      }
    }
    return revived;
  }

  /**
   * Replaces {@code load} by the load of {@code draws} samples drawn from {@code routing}, under
   * the weights {@code reference} reads (those the batch was routed with).
   */
  static void countDraw(
      MoeHeadReference reference,
      List<LabeledEmbedding> routing,
      int draws,
      Random random,
      int[] load) {
    Arrays.fill(load, 0);
    for (int i = 0; i < draws; i++) {
      float[] x = routing.get(random.nextInt(routing.size())).embedding();
      for (int e : reference.select(reference.gateLogits(x))) {
        load[e]++;
      }
    }
  }

  /**
   * One balancing step: nudge the experts whose {@code load} is under the mean of a batch of {@code
   * batch} samples up and the others down, then re-centre the biases (a common shift changes no
   * selection) so they stay bounded. Does nothing at a balance rate of 0.
   */
  void step(float[] routeBias, int[] load, int batch, int topK) {
    if (config.balanceRate() == 0) {
      return;
    }
    double mean = (double) batch * topK / load.length;
    float u = (float) config.balanceRate();
    float sum = 0;
    for (int e = 0; e < load.length; e++) {
      routeBias[e] += u * Math.signum((float) (mean - load[e]));
      sum += routeBias[e];
    }
    float shift = sum / load.length;
    for (int e = 0; e < load.length; e++) {
      routeBias[e] -= shift;
    }
  }
}
