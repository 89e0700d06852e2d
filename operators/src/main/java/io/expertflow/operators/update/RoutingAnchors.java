package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeGradients;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeParameterMask;
import java.util.List;
import java.util.Random;

/**
 * The routing term of an update: hinge losses on the route-biased gate scores {@code s_e(x)} of the
 * trainable experts, so that their gate rows learn to route the feedback's documents to them
 * without stealing anyone else's. Cross-entropy alone cannot do this: top-k selection has no
 * gradient, so a document routed elsewhere never tells a chosen expert to leave it alone, and
 * raising the gate rows for the new label silently pulls in documents those experts were never
 * trained on (on MiniLM embeddings, which share a large common component, most of the guard set).
 *
 * <ul>
 *   <li>Anchors (training samples of the model, replayed from every expert) keep their routing: if
 *       {@code e} was not among the top k of {@code x}, {@code max(0, s_e(x) - t(x) + margin)} with
 *       {@code t(x)} the k-th best score under the serving weights; if it was, {@code max(0, r(x) +
 *       margin - s_e(x))} with {@code r(x)} the best score of an expert it did not route to.
 *   <li>Attractors (the feedback the update trains on) are drawn to the experts that learn their
 *       label: {@code max(0, t(x) + margin - s_e(x))} for each such expert not yet in their top k.
 * </ul>
 *
 * <p>Only the scores of trainable experts change during an update, so the thresholds computed at
 * construction stay valid. Not thread-safe; deterministic for a given {@link Random}.
 */
final class RoutingAnchors {
  private final List<float[]> anchors;
  private final boolean[][] routed;
  private final float[] threshold;
  private final float[] runnerUp;
  private final List<LabeledEmbedding> attractors;
  private final boolean[][] attractorRouted;
  private final float[] attractorThreshold;
  private final float[] gateW;
  private final float[] gateB;
  private final float[] routeBias;
  private final int hidden;

  /**
   * @param serving the weights being trained, still equal to the served ones: read for the
   *     thresholds now, and for the current scores on every call
   */
  RoutingAnchors(MoeHeadWeights serving, List<float[]> anchors, List<LabeledEmbedding> attractors) {
    MoeHeadConfig c = serving.config();
    MoeHeadReference head = new MoeHeadReference(serving);
    this.anchors = List.copyOf(anchors);
    this.routed = new boolean[anchors.size()][c.experts()];
    this.threshold = new float[anchors.size()];
    this.runnerUp = new float[anchors.size()];
    this.attractors = List.copyOf(attractors);
    this.attractorRouted = new boolean[attractors.size()][c.experts()];
    this.attractorThreshold = new float[attractors.size()];
    var t = serving.tensors();
    this.gateW = t.get("gate.weight").data();
    this.gateB = t.get("gate.bias").data();
    this.routeBias = t.get("gate.route_bias").data();
    this.hidden = c.hidden();
    for (int a = 0; a < anchors.size(); a++) {
      threshold[a] = route(head, anchors.get(a), routed[a]);
      float[] logits = head.gateLogits(anchors.get(a));
      float best = Float.NEGATIVE_INFINITY;
      for (int e = 0; e < logits.length; e++) {
        if (!routed[a][e]) {
          best = Math.max(best, logits[e] + routeBias[e]);
        }
      }
      runnerUp[a] = best;
    }
    for (int a = 0; a < attractors.size(); a++) {
      attractorThreshold[a] = route(head, attractors.get(a).embedding(), attractorRouted[a]);
    }
  }

  /** Marks the top-k experts of {@code x} and returns the k-th best route-biased score. */
  private float route(MoeHeadReference head, float[] x, boolean[] marks) {
    float[] logits = head.gateLogits(x);
    float kth = Float.POSITIVE_INFINITY;
    for (int e : head.select(logits)) {
      marks[e] = true;
      kth = Math.min(kth, logits[e] + routeBias[e]);
    }
    return kth;
  }

  private float score(int e, float[] x) {
    float score = gateB[e] + routeBias[e];
    int row = e * hidden;
    for (int i = 0; i < hidden; i++) {
      score += gateW[row + i] * x[i];
    }
    return score;
  }

  int size() {
    return anchors.size();
  }

  /**
   * Adds to the gate gradients of the experts whose gate row {@code mask} lets change: {@code
   * weight / count} times the hinge gradients of {@code count} anchors drawn at random, and {@code
   * pullWeight / attractors} times those of every attractor.
   */
  void accumulate(
      MoeParameterMask mask,
      MoeGradients grad,
      int count,
      float weight,
      float pullWeight,
      float margin,
      Random r) {
    if (weight == 0 && pullWeight == 0) {
      return;
    }
    anchorTerm(mask, grad, count, weight, margin, r);
    float pull = attractors.isEmpty() ? 0 : pullWeight / attractors.size();
    for (int a = 0; a < attractors.size(); a++) {
      accumulateAttractor(a, mask, grad, pull, margin);
    }
  }

  /**
   * Adds the hinge gradients of the anchors alone: {@code weight / count} times those of {@code
   * count} anchors drawn at random. Anchors are the model's training samples, not feedback, so a
   * private update adds this term outside clipping and noise.
   */
  void accumulateAnchors(
      MoeParameterMask mask, MoeGradients grad, int count, float weight, float margin, Random r) {
    if (weight != 0) {
      anchorTerm(mask, grad, count, weight, margin, r);
    }
  }

  private void anchorTerm(
      MoeParameterMask mask, MoeGradients grad, int count, float weight, float margin, Random r) {
    float scale = weight / count;
    for (int n = 0; n < count && !anchors.isEmpty(); n++) {
      int a = r.nextInt(anchors.size());
      float[] x = anchors.get(a);
      for (int e = 0; e < routeBias.length; e++) {
        if (mask.gateRow(e) && !routed[a][e] && score(e, x) > threshold[a] - margin) {
          grad.addToGateRow(e, x, scale);
        }
      }
    }
  }

  int attractors() {
    return attractors.size();
  }

  /**
   * Adds {@code pull} times the hinge gradient of attractor {@code a} alone: in a private update it
   * is part of that feedback sample's own gradient, clipped with it.
   */
  void accumulateAttractor(
      int a, MoeParameterMask mask, MoeGradients grad, float pull, float margin) {
    LabeledEmbedding x = attractors.get(a);
    for (int e = 0; e < routeBias.length; e++) {
      if (mask.gateRow(e)
          && mask.outputRow(e, x.label())
          && !attractorRouted[a][e]
          && score(e, x.embedding()) < attractorThreshold[a] + margin) {
        grad.addToGateRow(e, x.embedding(), -pull);
      }
    }
  }
}
