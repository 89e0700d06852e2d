package io.expertflow.operators.moe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains an MoE head on labelled embeddings, by default by sparse upcycling from a {@link
 * DenseStart}: minibatch Adam on the cross-entropy through the top-k gate, with auxiliary-loss-free
 * ({@link RouteBalancer}) load balancing (after each batch every expert's routing bias moves by
 * {@code u * sign(meanLoad - load[e])}, which changes which experts are chosen but never the gate
 * weights or the loss, so balancing does not pull against accuracy) and optional noisy top-k
 * selection. The load that balancing counts is that of the <em>routing samples</em>, the embeddings
 * the head will route when it serves, which need not be the training samples (see {@link
 * #train(MoeHeadConfig, List, List, List, Consumer)}). Single-threaded and deterministic for a
 * given seed and sample order.
 *
 * <p>Instances are immutable and may be shared; each {@link #train} call owns its own state.
 */
public final class MoeHeadTrainer {
  private final MoeTrainingConfig config;
  private final RouteBalancer balancer;

  public MoeHeadTrainer(MoeTrainingConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.balancer = new RouteBalancer(config);
  }

  /**
   * Trains a head of shape {@code head}: by default by sparse upcycling (a {@link DenseStart}
   * copied into every expert, then gate and experts trained together with each expert pulled toward
   * the dense start, once per anchor weight of the config, the best on validation kept; the
   * upcycled start itself is a candidate, so the result is never worse on validation than the dense
   * head), or from seeded random weights ({@link MoeTrainingConfig.Start#RANDOM}).
   *
   * @param validation samples for model selection; may be empty (the last epoch and the first
   *     anchor weight are kept)
   * @param onEpoch called on the calling thread after every epoch of every stage; each stage
   *     numbers its epochs from 1
   */
  public TrainingResult train(
      MoeHeadConfig head,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> validation,
      Consumer<EpochReport> onEpoch) {
    return train(head, train, train, validation, onEpoch);
  }

  /**
   * Trains as {@link #train(MoeHeadConfig, List, List, Consumer)} does, balancing the experts' load
   * over {@code routing} instead of over the training samples. A worker routes one embedding per
   * document, while training may also see each document's chunks, which outnumber the documents
   * several times and spread wider around the corpus's mean; balanced over those, experts can end
   * up with chunks only and no document at all. So balancing counts the load of a random draw of
   * {@value RouteBalancer#ROUTING_DRAW} times the batch size from {@code routing} after every
   * batch, and the upcycled start is balanced over {@code routing} before it trains ({@link
   * RouteBalancer#settle}). An expert that still chooses none of {@code routing} after training
   * gets the one it is closest to winning ({@link RouteBalancer#revive}), so every expert serves a
   * document. Only the embeddings of {@code routing} are read, never its labels. With {@link
   * MoeTrainingConfig.Start#RANDOM}, the earlier training, balancing counts each batch's own load
   * as it always did, and {@code routing} is only checked.
   *
   * @param routing the embeddings the head will route when it serves, for example the training
   *     documents without their chunks; must not be empty
   */
  public TrainingResult train(
      MoeHeadConfig head,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> routing,
      List<LabeledEmbedding> validation,
      Consumer<EpochReport> onEpoch) {
    checkSamples(head, train, "training");
    checkSamples(head, routing, "routing");
    checkSamples(head, validation, "validation");
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no training samples: nothing to train the head on");
    }
    if (routing.isEmpty()) {
      throw new IllegalArgumentException("no routing samples: nothing to balance the experts over");
    }
    if (config.start() == MoeTrainingConfig.Start.RANDOM) {
      Stage stage =
          fit(
              MoeHeadWeights.random(head, config.seed()),
              train,
              routing,
              validation,
              null,
              0f,
              onEpoch);
      return result(stage, List.of(), train, Optional.empty(), List.of());
    }
    DenseStart dense = DenseStart.train(head, train, validation, config, onEpoch);
    List<Double> anchors =
        validation.isEmpty() ? config.anchorWeights().subList(0, 1) : config.anchorWeights();
    Stage best = null;
    for (double anchor : anchors) {
      MoeHeadWeights start = dense.upcycled(head, config.seed());
      balancer.settle(start, routing);
      Stage stage = fit(start, train, routing, validation, dense, (float) anchor, onEpoch);
      if (best == null || stage.validation.betterThan(best.validation, config.selectBy())) {
        best = stage;
      }
    }
    // an expert no document chooses would serve nothing: give it the document nearest to it
    List<Integer> revived = RouteBalancer.revive(best.best, routing);
    return result(best, dense.history(), train, dense.linearStart(), revived);
  }

  private TrainingResult result(
      Stage stage,
      List<EpochReport> before,
      List<LabeledEmbedding> train,
      Optional<LinearProbe> linearStart,
      List<Integer> revived) {
    List<EpochReport> history = new ArrayList<>(before);
    history.addAll(stage.history);
    ReplayReservoir reservoir =
        ReplayReservoir.of(stage.best, train, config.reservoirPerExpert(), config.seed());
    return new TrainingResult(
        stage.best,
        stage.bestEpoch,
        history,
        ExpertLoad.measure(stage.best, train),
        reservoir,
        linearStart,
        revived);
  }

  /** One training stage: the best weights, their epoch (0 = the start) and validation score. */
  private record Stage(
      MoeHeadWeights best, int bestEpoch, ValidationScore validation, List<EpochReport> history) {}

  /**
   * Trains {@code weights} in place. With a dense start, the start counts as epoch 0 and training
   * stops after {@code patience} epochs without a better validation score; without one (the earlier
   * training) every epoch runs and epoch 1 replaces the random start.
   */
  private Stage fit(
      MoeHeadWeights weights,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> routing,
      List<LabeledEmbedding> validation,
      DenseStart dense,
      float anchor,
      Consumer<EpochReport> onEpoch) {
    MoeHeadConfig head = weights.config();
    Random random = new Random(config.seed() ^ 0x5DEECE66DL);
    MoeHeadReference reference = new MoeHeadReference(weights);
    MoeBackprop backprop = new MoeBackprop(weights);
    MoeGradients grad = new MoeGradients(head);
    double rate = dense == null ? config.learningRate() : config.specialisingRate();
    MoeAdam adam = MoeAdam.lazy(weights, rate, config.weightDecay());
    int[] order = identity(train.size());
    List<EpochReport> history = new ArrayList<>();
    MoeHeadWeights best = weights.copy();
    int bestEpoch = 0;
    ValidationScore bestValidation =
        dense == null ? ValidationScore.NONE : ValidationScore.of(weights, validation);
    int[] predicted = new int[1];
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      shuffle(order, random);
      long[] epochLoad = new long[head.experts()];
      int[] batchLoad = new int[head.experts()];
      double lossSum = 0;
      int correct = 0;
      for (int start = 0; start < order.length; start += config.batchSize()) {
        int end = Math.min(order.length, start + config.batchSize());
        Arrays.fill(batchLoad, 0);
        for (int i = start; i < end; i++) {
          LabeledEmbedding s = train.get(order[i]);
          int[] chosen = route(reference, s.embedding(), random);
          for (int e : chosen) {
            epochLoad[e]++;
            if (dense == null) {
              batchLoad[e]++; // the earlier training balances over the batch itself
            }
          }
          lossSum += backprop.accumulate(s.embedding(), s.label(), chosen, grad, predicted);
          if (predicted[0] == s.label()) {
            correct++;
          }
        }
        if (dense != null) { // balanced over a draw of the routing samples instead
          RouteBalancer.countDraw(
              reference, routing, (end - start) * RouteBalancer.ROUTING_DRAW, random, batchLoad);
        }
        grad.scale(1f / (end - start));
        if (dense != null) {
          dense.pull(weights, grad, anchor);
        }
        adam.step(grad);
        grad.clear();
        // against the batch's mean load, also for a draw: see RouteBalancer.ROUTING_DRAW
        balancer.step(weights.routeBias, batchLoad, end - start, head.topK());
      }
      ValidationScore score = ValidationScore.of(weights, validation);
      ExpertLoad load = new ExpertLoad(epochLoad, order.length);
      EpochReport report =
          new EpochReport(
              epoch,
              lossSum / order.length,
              (double) correct / order.length,
              score.accuracy(),
              score.loss(),
              load.deadExperts(),
              load.maxShare());
      history.add(report);
      onEpoch.accept(report);
      boolean better = validation.isEmpty() || score.betterThan(bestValidation, config.selectBy());
      if (better) {
        bestValidation = score;
        best = weights.copy();
        bestEpoch = epoch;
      } else if (dense != null && epoch - bestEpoch >= config.patience()) {
        break;
      }
    }
    return new Stage(best, bestEpoch, bestValidation, history);
  }

  /** Share of {@code samples} whose arg-max label is right under {@code weights}. */
  public static double accuracy(MoeHeadWeights weights, List<LabeledEmbedding> samples) {
    MoeHeadReference head = new MoeHeadReference(weights);
    int correct = 0;
    for (LabeledEmbedding s : samples) {
      if (head.forward(s.embedding()).argmax() == s.label()) {
        correct++;
      }
    }
    return samples.isEmpty() ? 0 : (double) correct / samples.size();
  }

  private int[] route(MoeHeadReference reference, float[] x, Random random) {
    float[] scores = reference.gateLogits(x);
    if (config.routingNoise() > 0) {
      for (int e = 0; e < scores.length; e++) {
        scores[e] += (float) (random.nextGaussian() * config.routingNoise());
      }
    }
    return reference.select(scores);
  }

  static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static void checkSamples(
      MoeHeadConfig head, List<LabeledEmbedding> samples, String what) {
    Objects.requireNonNull(samples, what + " samples");
    for (LabeledEmbedding s : samples) {
      if (s.embedding().length != head.hidden()) {
        throw new IllegalArgumentException(
            what
                + " embedding has "
                + s.embedding().length
                + " values, the head expects "
                + head.hidden());
      }
      if (s.label() >= head.labelCount()) {
        throw new IllegalArgumentException(
            what
                + " label index "
                + s.label()
                + " is outside the "
                + head.labelCount()
                + " labels");
      }
    }
  }
}
