package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.MemoryEvidence;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.SimilarDocument;
import io.expertflow.memory.FusionConfig;
import io.expertflow.memory.MemoryEntry;
import io.expertflow.memory.feed.FedMemory;
import io.expertflow.memory.feed.MemorySettings;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.onnx.TinyEncoderBuilder;
import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document memory end to end, on the real broker and registry: a real {@code expertflow worker}
 * process on the tiny test bundle with {@code memory.enabled}, the streams app in this JVM
 * (feedback, status and the memory topology, {@code /v1/similar}) and a third memory instance
 * opened by the test. A correction of one document changes the answer to its near-duplicate sent
 * later, long before any weight update; another tenant's copy of the same text sees nothing of it;
 * {@code expertflow forget} removes the request from all three instances.
 */
@WithLocalStack
class MemoryIT {
  private static final Pattern METRICS_PORT =
      Pattern.compile("metrics and probes on http://localhost:(\\d+)/metrics");
  private static final Pattern APPLIED =
      Pattern.compile("expertflow_worker_memory_records_applied(?:\\{[^}]*})? ([0-9.E]+)");

  @TempDir Path dir;
  private Process worker;
  private StreamsApp streams;
  private FedMemory third;

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.destroyForcibly();
    }
    if (third != null) {
      third.close();
    }
    if (streams != null) {
      streams.close();
    }
  }

  @Test
  void shouldAnswerANearDuplicateOfACorrectedDocumentWithTheCorrectionPerTenantUntilForgotten(
      LocalStack stack) throws Exception {
    TopicCatalog catalog = stack.isolatedTopics("MemoryIT");
    TopicNames topics = TopicNames.of(catalog);
    MemorySettings memory =
        new MemorySettings(
            true,
            dir.resolve("streams-memory"),
            10,
            FusionConfig.defaults(),
            Duration.ofDays(90),
            200,
            TinyEncoderBuilder.DEFAULT_WIDTH);
    StreamsAppConfig base =
        TestPipeline.streamsConfig(
            stack, catalog, dir, "memory-it", EnumSet.of(AppTopology.STATUS, AppTopology.FEEDBACK));
    streams =
        StreamsApp.start(
            StreamsAppConfig.builder()
                .bootstrapServers(base.bootstrapServers())
                .schemaRegistryUrl(base.schemaRegistryUrl())
                .applicationId(base.applicationId())
                .topicPrefix(catalog.prefix())
                .stateDir(dir.resolve("state"))
                .instanceId("memory-it")
                .topologies(base.topologies())
                .memory(memory)
                .httpBind("127.0.0.1")
                .advertisedHost("127.0.0.1")
                .httpPort(0)
                .build(),
            stack.registryClient());
    assertThat(streams.streams()).containsKey(AppTopology.MEMORY);
    FedMemory streamsMemory = streams.memory().orElseThrow();
    String statusUrl = "http://127.0.0.1:" + streams.httpPort().getAsInt();
    worker =
        TestPipeline.startWorker(
            dir,
            stack,
            catalog,
            "memory-it",
            "--http-port",
            "0",
            "--set",
            "memory.enabled=true",
            "--set",
            "memory.dir=" + dir.resolve("worker-memory"));
    await().atMost(Duration.ofSeconds(90)).until(streams::isRunning);
    int metricsPort = metricsPort();

    List<String> paragraphs = DocsText.paragraphs(3).values().iterator().next();
    String text = paragraphs.get(0);
    String another = paragraphs.get(1);
    String edited = text + " Kind regards, the support team.";
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (OutcomeReader reader =
            new OutcomeReader(
                stack.clientProperties(),
                stack.registryClient(),
                true,
                topics,
                OutcomeReader.From.BEGINNING);
        KafkaProducer<String, SpecificRecord> producer =
            new KafkaProducer<>(
                props,
                new StringSerializer(),
                new AvroSerializer<>(stack.registryClient(), false))) {
      // 1. a document of tenant t1, answered by the head: the memory is empty
      InferenceResponse first = answer(producer, reader, topics, "a-1", "t1", text);
      assertThat(first.getMemory()).isNotNull();
      assertThat(first.getMemory().getNeighbours()).isEmpty();
      String headLabel = first.getLabels().get(0).getLabel();
      String corrected =
          List.of("a", "b", "c").stream()
              .filter(l -> !l.equals(headLabel))
              .findFirst()
              .orElseThrow();

      // 2. a user corrects it; the correction reaches the streams app's memory, then the worker's
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> streamsMemory.memory().get("a-1").isPresent());
      correct(producer, topics, streamsMemory, metricsPort, "a-1", corrected);

      // 3. its near-duplicate, sent later by the same tenant, is answered with the correction
      InferenceResponse duplicate = answer(producer, reader, topics, "a-2", "t1", edited);
      MemoryEvidence evidence = duplicate.getMemory();
      System.out.printf(
          "MemoryIT: head said %s, corrected to %s; the near-duplicate answered %s, nearest at"
              + " %.4f, %d voter(s)%n",
          headLabel,
          corrected,
          duplicate.getLabels().get(0).getLabel(),
          evidence.getNeighbours().get(0).getSimilarity(),
          evidence.getVoters());
      assertThat(duplicate.getLabels().get(0).getLabel()).isEqualTo(corrected);
      assertThat(evidence.getNearDuplicate()).isTrue();
      assertThat(evidence.getVoters()).isEqualTo(1);
      assertThat(evidence.getNeighbours())
          .extracting(SimilarDocument::getRequestId)
          .containsExactly("a-1");
      assertThat(evidence.getNeighbours().get(0).getCorrected()).isTrue();
      assertThat(evidence.getNeighbours().get(0).getLabel()).isEqualTo(corrected);
      // the status says why the answer is the correction
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  CliRun.run("status", "a-2", "--status-url", statusUrl)
                      .out()
                      .contains("near-duplicate of a-1"));
      assertThat(CliRun.run("status", "a-2", "--status-url", statusUrl).out())
          .contains("corrected to " + corrected + "); 1 vote; the head alone said " + headLabel)
          .contains(
              "encoder      " + ModelBundle.load(dir.resolve("bundle")).manifest().encoderId());

      // 3b. a correction may name a label the model lacks: its near-duplicate gets the new label
      answer(producer, reader, topics, "n-1", "t1", another);
      correct(producer, topics, streamsMemory, metricsPort, "n-1", "urgent");
      InferenceResponse newLabel =
          answer(producer, reader, topics, "n-2", "t1", another + " Sent from my phone.");
      assertThat(newLabel.getLabels().get(0).getLabel()).isEqualTo("urgent");
      assertThat(newLabel.getLabels()).extracting(l -> l.getLabel()).contains("a", "b", "c");

      // 4. another tenant sending the same text sees nothing of t1's documents
      InferenceResponse other = answer(producer, reader, topics, "b-1", "t2", edited);
      assertThat(other.getMemory().getNeighbours()).isEmpty();
      assertThat(other.getMemory().getNearDuplicate()).isFalse();
      assertThat(other.getLabels().get(0).getLabel()).isEqualTo(headLabel);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> streamsMemory.memory().get("b-1").isPresent());
      CliRun similar = CliRun.run("similar", "a-1", "--status-url", statusUrl);
      assertThat(similar.code()).as(similar.err()).isZero();
      assertThat(similar.out()).contains("a-2").contains("near-duplicate").doesNotContain("b-1");
      HttpResponse<String> t2Search =
          post(
              statusUrl,
              "{\"tenant\":\"t2\",\"embedding\":"
                  + toJson(streamsMemory.memory().get("a-1").orElseThrow().embedding())
                  + "}");
      assertThat(t2Search.statusCode()).isEqualTo(200);
      assertThat(t2Search.body()).contains("b-1").doesNotContain("a-1").doesNotContain("a-2");
      // 4b. a document's vector is compared only with those of its own encoder
      String encoderId = ModelBundle.load(dir.resolve("bundle")).manifest().encoderId();
      assertThat(first.getEncoderId()).isEqualTo(encoderId);
      assertThat(workerLog()).as("the worker's start line").contains(", encoder " + encoderId);
      assertThat(streamsMemory.memory().get("a-1").orElseThrow().encoder()).isEqualTo(encoderId);
      String a1 = toJson(streamsMemory.memory().get("a-1").orElseThrow().embedding());
      HttpResponse<String> sameEncoder =
          post(
              statusUrl,
              "{\"tenant\":\"t2\",\"encoder_id\":\"" + encoderId + "\",\"embedding\":" + a1 + "}");
      assertThat(sameEncoder.body()).contains("b-1");
      HttpResponse<String> otherEncoder =
          post(
              statusUrl,
              "{\"tenant\":\"t2\",\"encoder_id\":\"bge-small-en-v1.5-int8-static@0000000000000000\","
                  + "\"embedding\":"
                  + a1
                  + "}");
      assertThat(otherEncoder.statusCode()).isEqualTo(200);
      assertThat(otherEncoder.body()).doesNotContain("b-1");
      HttpResponse<String> encoderAsNumber =
          post(statusUrl, "{\"tenant\":\"t2\",\"encoder_id\":5,\"embedding\":" + a1 + "}");
      assertThat(encoderAsNumber.statusCode()).isEqualTo(400);
      assertThat(encoderAsNumber.body()).contains("encoder_id");
      Path edit = Files.writeString(dir.resolve("edited.txt"), edited);
      CliRun byText =
          CliRun.run(
              "similar",
              "--text",
              edit.toString(),
              "--tenant",
              "t1",
              "--bundle",
              dir.resolve("bundle").toString(),
              "--status-url",
              statusUrl);
      assertThat(byText.code()).as(byText.err()).isZero();
      assertThat(byText.out()).contains("a-1").contains("near-duplicate").doesNotContain("b-1");
      // without --tenant and without a token: the tenant submit sends by default, which has none
      CliRun defaultTenant =
          CliRun.run(
              "similar",
              "--text",
              edit.toString(),
              "--bundle",
              dir.resolve("bundle").toString(),
              "--status-url",
              statusUrl);
      assertThat(defaultTenant.code()).as(defaultTenant.err()).isZero();
      assertThat(defaultTenant.out()).contains("no earlier document of this tenant");
      HttpResponse<String> kAsWord =
          post(statusUrl, "{\"tenant\":\"t2\",\"k\":\"ten\",\"embedding\":[1]}");
      assertThat(kAsWord.statusCode()).isEqualTo(400);
      assertThat(kAsWord.body()).contains("k must be a whole number");
      HttpResponse<String> kInQuery =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(statusUrl + "/v1/similar/a-1?k=ten")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(kInQuery.statusCode()).isEqualTo(400);
      assertThat(kInQuery.body()).contains("k must be a whole number between 1 and");

      // 5. a third instance rebuilds the same memory from the topic alone
      third =
          FedMemory.open(
              memory.enabledIn(dir.resolve("third-memory")),
              TinyEncoderBuilder.DEFAULT_WIDTH,
              "memory-it-third",
              topics.memory(),
              stack.clientProperties(),
              stack.registryClient());
      FedMemory rebuilt = third;
      await().atMost(Duration.ofSeconds(60)).until(rebuilt::ready);
      assertThat(rebuilt.memory().get("a-1").map(MemoryEntry::correctedLabel)).contains(corrected);

      // 6. forgetting a-1 removes it from every instance
      CliRun forget =
          CliRun.run(
              "forget",
              "a-1",
              "-b",
              stack.bootstrapServers(),
              "-r",
              stack.schemaRegistryUrl(),
              "--topic-prefix",
              catalog.prefix());
      assertThat(forget.code()).as(forget.err()).isZero();
      assertThat(forget.out()).contains("forgot 1 request(s): 2 tombstone(s)");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  streamsMemory.memory().get("a-1").isEmpty()
                      && rebuilt.memory().get("a-1").isEmpty());
      assertThat(rebuilt.memory().get("a-2")).isPresent();
      awaitWorkerApplied(metricsPort, streamsMemory.feed().applied());
      InferenceResponse after = answer(producer, reader, topics, "a-3", "t1", edited);
      assertThat(after.getMemory().getNeighbours())
          .extracting(SimilarDocument::getRequestId)
          .doesNotContain("a-1")
          .contains("a-2");
      CliRun gone = CliRun.run("similar", "a-1", "--status-url", statusUrl);
      assertThat(gone.code()).isEqualTo(3);
    }
  }

  /**
   * A memory folder kept across a topic made again (a new local stack, a topic deleted and created
   * anew, another cluster) drops what the old topic held and rebuilds from the new one, so that no
   * answer is fused with, and no search finds, documents the pipeline no longer holds (a request
   * forgotten on the new topic could never be forgotten from them).
   */
  @Test
  void shouldRebuildAMemoryBuiltFromATopicThatWasMadeAgain(LocalStack stack) throws Exception {
    TopicCatalog catalog = stack.isolatedTopics("MemoryIT-again");
    String topic = TopicNames.of(catalog).memory();
    MemorySettings settings =
        new MemorySettings(
            true,
            dir.resolve("kept-memory"),
            10,
            FusionConfig.defaults(),
            Duration.ofDays(90),
            200,
            TinyEncoderBuilder.DEFAULT_WIDTH);
    sendAnswered(stack, topic, "old-1");
    try (FedMemory first = openMemory(stack, settings, topic)) {
      assertThat(first.memory().get("old-1")).isPresent();
    }

    try (org.apache.kafka.clients.admin.Admin admin = stack.newAdmin()) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                admin
                    .createTopics(
                        List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
                return true;
              });
    }
    sendAnswered(stack, topic, "new-1");

    try (FedMemory again = openMemory(stack, settings, topic)) {
      assertThat(again.memory().get("old-1")).as("the old topic's entry").isEmpty();
      assertThat(again.memory().get("new-1")).isPresent();
      assertThat(again.memory().size()).isEqualTo(1);
    }
    try (FedMemory resumed = openMemory(stack, settings, topic)) {
      assertThat(resumed.memory().get("new-1")).isPresent();
      assertThat(resumed.feed().applied())
          .as("resumed from its commit on the same topic, nothing replayed")
          .isZero();
    }
  }

  private static FedMemory openMemory(LocalStack stack, MemorySettings settings, String topic) {
    FedMemory memory =
        FedMemory.open(
            settings,
            TinyEncoderBuilder.DEFAULT_WIDTH,
            "memory-it-again",
            topic,
            stack.clientProperties(),
            stack.registryClient());
    await().atMost(Duration.ofSeconds(60)).until(memory::ready);
    return memory;
  }

  /** An ANSWERED record of {@code requestId} with a unit embedding, as a worker writes one. */
  private static void sendAnswered(LocalStack stack, String topic, String requestId)
      throws Exception {
    List<Float> embedding = new java.util.ArrayList<>();
    for (int i = 0; i < TinyEncoderBuilder.DEFAULT_WIDTH; i++) {
      embedding.add(i == 0 ? 1f : 0f);
    }
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), new AvroSerializer<>(stack.registryClient(), false))) {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  requestId,
                  io.expertflow.avro.MemoryRecord.newBuilder()
                      .setRequestId(requestId)
                      .setKind(io.expertflow.avro.MemoryRecordKind.ANSWERED)
                      .setTenant("t1")
                      .setTime(Instant.now())
                      .setPredictedLabel("a")
                      .setModelVersion("1")
                      .setEmbedding(embedding)
                      .build()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private InferenceResponse answer(
      KafkaProducer<String, SpecificRecord> producer,
      OutcomeReader reader,
      TopicNames topics,
      String id,
      String tenant,
      String text)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topics.requests(),
                id,
                InferenceRequest.newBuilder()
                    .setRequestId(id)
                    .setDocumentId(id)
                    .setTenant(tenant)
                    .setText(text)
                    .setSubmittedAt(Instant.now())
                    .build()))
        .get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              assertThat(worker.isAlive()).as("worker alive; log:%n%s", workerLog()).isTrue();
              return reader.readUntilAnswered(List.of(id), Duration.ofSeconds(1));
            });
    InferenceResponse r =
        reader.responses().stream()
            .filter(x -> x.getRequestId().equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK);
    return r;
  }

  /**
   * A user's correction of {@code requestId}, awaited until the streams app's memory holds it and
   * the worker's memory has read as far.
   */
  private static void correct(
      KafkaProducer<String, SpecificRecord> producer,
      TopicNames topics,
      FedMemory streamsMemory,
      int metricsPort,
      String requestId,
      String label)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topics.feedback(),
                requestId,
                FeedbackEvent.newBuilder()
                    .setFeedbackId("feedback-" + requestId)
                    .setRequestId(requestId)
                    .setCorrectedLabel(label)
                    .setEventTime(Instant.now())
                    .build()))
        .get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                streamsMemory
                    .memory()
                    .get(requestId)
                    .map(MemoryEntry::correctedLabel)
                    .filter(label::equals)
                    .isPresent());
    awaitWorkerApplied(metricsPort, streamsMemory.feed().applied());
  }

  /** Waits until the worker's memory has applied at least {@code records} of the topic. */
  private static void awaitWorkerApplied(int port, long records) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> workerApplied(port).filter(n -> n >= records).isPresent());
  }

  private static Optional<Double> workerApplied(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m = APPLIED.matcher(r.body());
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }

  private int metricsPort() {
    AtomicPort port = new AtomicPort();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Matcher m = METRICS_PORT.matcher(workerLog());
              if (m.find()) {
                port.value = Integer.parseInt(m.group(1));
                return true;
              }
              assertThat(worker.isAlive()).as("worker alive; log:%n%s", workerLog()).isTrue();
              return false;
            });
    return port.value;
  }

  private static final class AtomicPort {
    volatile int value;
  }

  private String workerLog() throws IOException {
    Path log = dir.resolve("worker.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static HttpResponse<String> post(String base, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + "/v1/similar"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String toJson(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(v[i]);
    }
    return b.append(']').toString();
  }
}
