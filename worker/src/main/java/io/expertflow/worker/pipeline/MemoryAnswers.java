package io.expertflow.worker.pipeline;

import io.expertflow.avro.MemoryEvidence;
import io.expertflow.avro.SimilarDocument;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.FusedPrediction;
import io.expertflow.memory.Neighbour;
import io.expertflow.memory.NeighbourFusion;
import io.expertflow.memory.feed.MemorySettings;
import io.expertflow.operators.moe.LabelEvidence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The document memory in the request path: looks up a document's nearest earlier documents of its
 * tenant, fuses their corrected labels with the head's probabilities ({@link NeighbourFusion}) and
 * says what it did ({@link MemoryEvidence}). A document is never its own neighbour (a redelivered
 * request finds its first answer in the memory). When the lookup fails the answer is the head's,
 * with no evidence: the memory is an aid, never a reason to fail a request. Thread-safe.
 */
public final class MemoryAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryAnswers.class);

  private final DocumentMemory memory;
  private final MemorySettings settings;
  private final LongConsumer lookupNanos;
  // the fusion of the serving head's labels, rebuilt only when a new version changes them
  private volatile NeighbourFusion fusion;

  /**
   * @param lookupNanos observes each lookup's duration (metrics), may be {@code n -> {}}
   */
  public MemoryAnswers(DocumentMemory memory, MemorySettings settings, LongConsumer lookupNanos) {
    this.memory = Objects.requireNonNull(memory, "memory");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lookupNanos = Objects.requireNonNull(lookupNanos, "lookupNanos");
  }

  /**
   * The head's probabilities with the memory's labels fused in, and the evidence.
   *
   * @param labels the head's labels, then any new label a voting neighbour's correction introduced
   * @param probabilities one per label
   */
  public record Fused(List<String> labels, float[] probabilities, MemoryEvidence evidence) {}

  /**
   * Fuses.
   *
   * @param encoderId the encoder that made {@code embedding}: only earlier documents of that
   *     encoder (or of none recorded) are neighbours; null compares with all
   * @param labels the serving head's labels, in the order of {@code head}
   * @return the fused probabilities and evidence; the head's own and a null evidence when the
   *     lookup failed
   */
  public Fused fuse(
      String requestId,
      String tenant,
      String encoderId,
      float[] embedding,
      List<String> labels,
      float[] head) {
    List<Neighbour> near;
    long start = System.nanoTime();
    try {
      near =
          new ArrayList<>(memory.nearest(tenant, encoderId, embedding, settings.neighbours() + 1));
    } catch (IOException | RuntimeException e) {
      LOG.warn("document memory lookup failed, answering from the head alone: {}", e.toString());
      return new Fused(labels, head, null);
    } finally {
      lookupNanos.accept(System.nanoTime() - start);
    }
    near.removeIf(n -> n.requestId().equals(requestId));
    if (near.size() > settings.neighbours()) {
      near = near.subList(0, settings.neighbours());
    }
    NeighbourFusion f = fusion;
    if (f == null || !f.labels().equals(labels)) {
      f = new NeighbourFusion(labels, settings.fusion());
      fusion = f;
    }
    FusedPrediction fused = f.fuse(head, near);
    float[] p = fused.probabilities();
    List<SimilarDocument> similar = new ArrayList<>(near.size());
    for (Neighbour n : near) {
      similar.add(
          SimilarDocument.newBuilder()
              .setRequestId(n.requestId())
              .setSimilarity((float) n.similarity())
              .setLabel(n.label())
              .setCorrected(n.corrected())
              .build());
    }
    int headTop = LabelEvidence.argmax(head);
    int fusedTop = fused.argmax();
    return new Fused(
        fused.labels(),
        p,
        MemoryEvidence.newBuilder()
            .setNeighbours(similar)
            .setNearDuplicate(fused.nearDuplicate().isPresent())
            .setVoters(fused.voters())
            .setWeight(fused.voters() == 0 ? 0f : (float) settings.fusion().weight())
            .setHeadLabel(headTop == fusedTop ? null : labels.get(headTop))
            .build());
  }
}
