package io.expertflow.worker.pipeline;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.MemoryEvidence;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.worker.Outcome;
import io.expertflow.worker.RequestContext;
import io.expertflow.worker.pipeline.ModelDocumentProcessor.ExpertLoadListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the worker's responses: the OK answer from a routed document (top labels, chosen experts,
 * timings, optional embedding, and with the document memory on its neighbours fused into the
 * labels) and the EXPIRED answer. Reports each chosen expert to the expert-load listener. Stateless
 * apart from its settings; thread-safe (called on the head batcher's thread and on the poll
 * thread).
 */
final class ResponseAssembler {
  private final PipelineConfig config;
  private final ServingModelRef models;
  private final ExpertLoadListener expertLoad;
  private final Clock clock;
  private final String workerId;
  private final MemoryAnswers memory;

  /**
   * @param memory the document memory to fuse and attach, or null when it is off
   */
  ResponseAssembler(
      PipelineConfig config,
      ServingModelRef models,
      ExpertLoadListener expertLoad,
      Clock clock,
      String workerId,
      MemoryAnswers memory) {
    this.memory = memory;
    this.config = config;
    this.models = models;
    this.expertLoad = expertLoad;
    this.clock = clock;
    this.workerId = workerId;
  }

  /** The OK response to a routed document. */
  InferenceResponse answer(
      InferenceRequest request,
      RequestContext context,
      FoldedDocument folded,
      RoutedDocument routed,
      long acceptedNanos) {
    MoeOutput out = routed.output();
    ServingModel model = routed.model();
    List<String> labels = model.labels();
    double[] words = model.evidence(textOf(request));
    float[] p = model.answer(out.probabilities(), words);
    MemoryEvidence evidence = null;
    if (memory != null) {
      MemoryAnswers.Fused fused =
          memory.fuse(
              request.getRequestId(),
              request.getTenant(),
              model.encoderId(),
              folded.embedding(),
              labels,
              p);
      labels = fused.labels();
      p = fused.probabilities();
      evidence = fused.evidence();
    }
    List<LabelScore> scores = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      scores.add(new LabelScore(labels.get(i), p[i]));
    }
    scores.sort(Comparator.comparing(LabelScore::getScore).reversed());
    List<ExpertGate> experts = new ArrayList<>(out.experts().length);
    for (int j = 0; j < out.experts().length; j++) {
      experts.add(new ExpertGate(out.experts()[j], out.gates()[j]));
      expertLoad.chosen(out.experts()[j]);
    }
    List<Float> embedding = null;
    List<Float> lexicalEvidence = List.of();
    if (config.includeEmbedding()) {
      embedding = new ArrayList<>(folded.embedding().length);
      for (float v : folded.embedding()) {
        embedding.add(v);
      }
      // what an update needs to judge feedback on this answer as served
      lexicalEvidence = new ArrayList<>(words.length);
      for (double v : words) {
        lexicalEvidence.add((float) v);
      }
    }
    Instant now = clock.instant();
    long totalWaitMs = TimeUnit.NANOSECONDS.toMillis(folded.lastFinishedNanos() - acceptedNanos);
    long inferenceMs = TimeUnit.NANOSECONDS.toMillis(folded.inferenceNanos());
    boolean truncated = folded.doc().tokens().truncated();
    return InferenceResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setDocumentId(request.getDocumentId())
        .setTenant(request.getTenant())
        .setStatus(ResponseStatus.OK)
        .setStatusReason(
            truncated ? "truncated to " + folded.doc().tokens().chunks().size() + " chunks" : null)
        .setLabels(scores.subList(0, Math.min(config.topLabels(), scores.size())))
        .setExperts(experts)
        .setDomainExpert(out.domain())
        .setModelName(model.name())
        .setModelVersion(model.version())
        .setEmbedding(embedding)
        .setEncoderId(model.encoderId())
        .setLexicalEvidence(lexicalEvidence)
        .setInputSha256(folded.doc().inputSha256())
        .setChunkCount(folded.doc().tokens().chunks().size())
        .setTruncated(truncated)
        .setTimings(
            new Timings(
                Math.max(0, context.polledAtMs() - request.getSubmittedAt().toEpochMilli()),
                Math.max(0, totalWaitMs - inferenceMs),
                inferenceMs,
                Math.max(0, now.toEpochMilli() - request.getSubmittedAt().toEpochMilli())))
        .setWorkerId(workerId)
        .setProducedAt(now)
        .setAttributes(request.getAttributes())
        .setMemory(evidence)
        .build();
  }

  /** The text the TF-IDF model reads: the request's text, or its passages one per line. */
  private static String textOf(InferenceRequest request) {
    if (request.getText() != null) {
      return request.getText();
    }
    return request.getChunks() == null ? "" : String.join("\n", request.getChunks());
  }

  /** The EXPIRED answer to a request whose deadline passed before it could run. */
  Outcome expired(InferenceRequest request, RequestContext context, String why) {
    ServingModel model = models.current();
    Instant now = clock.instant();
    long total = Math.max(0, now.toEpochMilli() - request.getSubmittedAt().toEpochMilli());
    return new Outcome.Answered(
        InferenceResponse.newBuilder()
            .setRequestId(request.getRequestId())
            .setDocumentId(request.getDocumentId())
            .setTenant(request.getTenant())
            .setStatus(ResponseStatus.EXPIRED)
            .setStatusReason(why + " (deadline " + request.getDeadline() + ")")
            .setModelName(model.name())
            .setModelVersion(model.version())
            .setTimings(
                new Timings(
                    Math.max(0, context.polledAtMs() - request.getSubmittedAt().toEpochMilli()),
                    0L,
                    0L,
                    total))
            .setWorkerId(workerId)
            .setProducedAt(now)
            .setAttributes(request.getAttributes())
            .build());
  }
}
