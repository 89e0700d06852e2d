package io.expertflow.cli.demo;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerSettings;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One pass of documents through a running stack: a worker in this process, the documents produced
 * to {@code requests}, every response and dead letter read back ({@code read_committed}) and
 * counted, with a live progress line.
 */
public final class DemoRun {
  private final String bootstrap;
  private final SchemaRegistryClient registry;
  private final String prefix;
  private final PrintWriter out;

  public DemoRun(String bootstrap, SchemaRegistryClient registry, String prefix, PrintWriter out) {
    this.bootstrap = bootstrap;
    this.registry = registry;
    this.prefix = prefix;
    this.out = out;
  }

  /**
   * Runs {@code documents} through a worker serving {@code bundle}; waits at most {@code timeout}.
   */
  public DemoSummary run(
      ModelBundle bundle, WorkerSettings settings, List<DemoDocument> documents, Duration timeout)
      throws InterruptedException {
    Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
    long start = System.nanoTime();
    try (WorkerApp worker =
        new WorkerApp(
            settings.worker(),
            settings.pipeline(),
            settings.chunking(),
            settings.engine(),
            bundle,
            kafka,
            registry)) {
      Thread loop = new Thread(worker, "demo-worker");
      loop.start();
      String device = worker.engine().provider().toString().toLowerCase(java.util.Locale.ROOT);
      out.printf("worker running on %s; submitting %d documents%n", device, documents.size());
      out.flush();
      Map<String, String> labels = submit(documents);
      Tally tally = collect(labels, timeout, worker, start);
      double seconds = (System.nanoTime() - start) / 1e9;
      HistogramSnapshot batches =
          worker.meters().get("expertflow.worker.batch.size").summary().takeSnapshot();
      return new DemoSummary(
          documents.size(),
          tally.responses,
          tally.deadLetters,
          documents.size() - tally.answered.size(),
          tally.duplicates,
          tally.labelled == 0 ? null : (double) tally.correct / tally.labelled,
          null,
          tally.latency.getValueAtPercentile(50),
          tally.latency.getValueAtPercentile(99),
          tally.answered.size() / Math.max(1e-9, tally.activeSeconds()),
          batches.mean(),
          device,
          bundle.manifest().version(),
          null,
          seconds);
    }
  }

  private Map<String, String> submit(List<DemoDocument> documents) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    Map<String, String> labels = new HashMap<>();
    ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
    try (KafkaProducer<String, InferenceRequest> producer =
        new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      int n = 0;
      for (DemoDocument d : documents) {
        String requestId = "demo-" + (n++) + "-" + d.id();
        labels.put(requestId, d.label());
        InferenceRequest r =
            InferenceRequest.newBuilder()
                .setRequestId(requestId)
                .setDocumentId(d.id())
                .setTenant("demo")
                .setText(d.text())
                .setSubmittedAt(Instant.now())
                .build();
        producer.send(
            new ProducerRecord<>(prefix + "requests", d.id(), r),
            (md, e) -> {
              if (e != null) {
                errors.add(e);
              }
            });
      }
      producer.flush();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "submitting failed: " + errors.peek().getMessage(), errors.peek());
    }
    return labels;
  }

  private Tally collect(Map<String, String> labels, Duration timeout, WorkerApp worker, long t0) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-reader-" + System.nanoTime());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Tally tally = new Tally();
    AvroDeserializer<InferenceResponse> responses =
        new AvroDeserializer<>(registry, InferenceResponse.class);
    AvroDeserializer<DeadLetter> deadLetters = new AvroDeserializer<>(registry, DeadLetter.class);
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastPrint = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + "responses", prefix + "dead-letters"));
      while (tally.answered.size() < labels.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (!labels.containsKey(r.key())) {
            continue; // an earlier run's record
          }
          if (r.topic().endsWith("dead-letters")) {
            deadLetters.deserialize(r.topic(), r.value());
            tally.deadLetters++;
            tally.count(r.key());
          } else {
            InferenceResponse resp = responses.deserialize(r.topic(), r.value());
            tally.responses++;
            tally.count(r.key());
            tally.latency.recordValue(Math.max(0, resp.getTimings().getTotalMs()));
            String truth = labels.get(r.key());
            if (truth != null && resp.getStatus() == ResponseStatus.OK) {
              tally.labelled++;
              if (!resp.getLabels().isEmpty() && resp.getLabels().get(0).getLabel().equals(truth)) {
                tally.correct++;
              }
            }
          }
        }
        long now = System.nanoTime();
        if (now - lastPrint > 500_000_000L) {
          lastPrint = now;
          progress(tally, labels.size(), worker, t0);
        }
      }
    }
    progress(tally, labels.size(), worker, t0);
    out.println();
    tally.end = System.nanoTime();
    tally.begin = t0;
    return tally;
  }

  private void progress(Tally t, int total, WorkerApp worker, long t0) {
    int width = 30;
    int done = t.answered.size();
    int filled = total == 0 ? width : (int) ((long) width * done / total);
    double secs = (System.nanoTime() - t0) / 1e9;
    double batch =
        worker.meters().find("expertflow.worker.batch.size").summary() == null
            ? 0
            : worker.meters().get("expertflow.worker.batch.size").summary().mean();
    out.printf(
        "\r[%s%s] %d/%d  %.1f docs/s  batch fill %.1f  p99 %d ms ",
        "#".repeat(filled),
        " ".repeat(width - filled),
        done,
        total,
        done / Math.max(secs, 1e-9),
        batch,
        t.latency.getTotalCount() == 0 ? 0 : t.latency.getValueAtPercentile(99));
    out.flush();
  }

  private static final class Tally {
    final Set<String> answered = new HashSet<>();
    final Histogram latency = new Histogram(3_600_000L, 3);
    long responses;
    long deadLetters;
    long duplicates;
    long labelled;
    long correct;
    long begin;
    long end;

    void count(String requestId) {
      if (!answered.add(requestId)) {
        duplicates++;
      }
    }

    double activeSeconds() {
      return (end - begin) / 1e9;
    }
  }
}
