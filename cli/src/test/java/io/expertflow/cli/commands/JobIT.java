package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.cli.jobs.JobApi;
import io.expertflow.cli.jobs.JobIds;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsApp;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk job on the real broker and registry, the streams app (intake, compliance, status, jobs) in
 * this JVM and a real {@code expertflow worker} process on the tiny test bundle: the first {@code
 * job submit} runs as a child JVM and is killed (SIGKILL) part way; the same command run again
 * sends only what is missing; every document is answered exactly once, the job API counts them, and
 * {@code job export} lists each of them in submission order.
 */
@WithLocalStack
class JobIT {
  static final int DOCUMENTS = 2000;

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();
  private StreamsApp streams;

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
    if (streams != null) {
      streams.close();
    }
  }

  @Test
  void shouldAnswerEveryDocumentOfAJobExactlyOnceAfterTheSubmitterIsKilledAndRunAgain(
      LocalStack stack) throws Exception {
    TopicCatalog catalog = stack.isolatedTopics("JobIT");
    TopicNames topics = TopicNames.of(catalog);
    Path docs = dir.resolve("docs.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      lines.add(new ObjectMapper().createObjectNode().put("text", text(i)).toString());
    }
    Files.write(docs, lines);

    streams =
        StreamsApp.start(
            TestPipeline.streamsConfig(
                stack,
                catalog,
                dir,
                "job-it",
                EnumSet.of(
                    AppTopology.INTAKE,
                    AppTopology.COMPLIANCE,
                    AppTopology.STATUS,
                    AppTopology.JOBS)),
            stack.registryClient());
    String statusUrl = "http://127.0.0.1:" + streams.httpPort().getAsInt();
    children.add(TestPipeline.startWorker(dir, stack, catalog, "job-it", "--http-port", "0"));
    await().atMost(Duration.ofSeconds(90)).until(streams::isRunning);

    String jobId = JobIds.jobId("it", "job it");
    String[] submit = {
      "job",
      "submit",
      docs.toString(),
      "--name",
      "job it",
      "--tenant",
      "it",
      "-b",
      stack.bootstrapServers(),
      "-r",
      stack.schemaRegistryUrl(),
      "--topic-prefix",
      catalog.prefix()
    };

    // 1. the first submission, in a child JVM, killed with SIGKILL once part of the job is in
    String[] slow = CliRun.concat(submit, "--max-rate", "100");
    Process first = start("submit-1", slow);
    JobApi api = new JobApi(statusUrl, null, Duration.ofSeconds(5));
    AtomicLong seen = new AtomicLong();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              assertThat(first.isAlive())
                  .as("first submission still running; log:%n%s", log("submit-1"))
                  .isTrue();
              if (api.job(jobId) instanceof JobApi.Found found) {
                seen.set(found.body().path("submitted").asLong());
              }
              return seen.get() >= 300;
            });
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(log("submit-1")).contains("job " + jobId).doesNotContain("sent now");
    long onInboundAfterKill = keysOf(stack, topics.requestsInbound(), jobId).size();
    assertThat(onInboundAfterKill).isBetween(300L, DOCUMENTS - 1L);

    // 2. the same command again: only what is missing goes out
    CliRun second = CliRun.run(submit);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("job " + jobId + ": " + DOCUMENTS + " document(s); ")
        .contains(
            (DOCUMENTS - onInboundAfterKill)
                + " sent now, "
                + onInboundAfterKill
                + " already on "
                + topics.requestsInbound());

    System.out.printf(
        "JobIT: %d of %d requests on requests.inbound when the first submission was killed;"
            + " the second sent %d%n",
        onInboundAfterKill, DOCUMENTS, DOCUMENTS - onInboundAfterKill);

    // 3. wait for the job: every document answered or dead-lettered
    CliRun waited =
        CliRun.run(
            "job",
            "wait",
            jobId,
            "--status-url",
            statusUrl,
            "--timeout",
            "PT4M",
            "--interval",
            "PT0.5S");
    assertThat(waited.code()).as(waited.err()).isZero();
    assertThat(waited.err()).contains("[##############################] 2,000/2,000 done (100%)");
    assertThat(waited.out()).contains("state         DONE");

    // exactly once: one request per document on the intake topic, one response per request
    List<String> inbound = keysOf(stack, topics.requestsInbound(), jobId);
    assertThat(inbound).hasSize(DOCUMENTS).doesNotHaveDuplicates();
    List<String> responses = keysOf(stack, topics.responses(), jobId);
    assertThat(responses).hasSize(DOCUMENTS).doesNotHaveDuplicates();
    assertThat(responses).containsExactlyInAnyOrderElementsOf(inbound);

    JobApi.Answer answer = api.job(jobId);
    assertThat(answer).isInstanceOf(JobApi.Found.class);
    JsonNode job = ((JobApi.Found) answer).body();
    assertThat(job.path("expected").asLong()).isEqualTo(DOCUMENTS);
    assertThat(job.path("submitted").asLong()).isEqualTo(DOCUMENTS);
    assertThat(job.path("answered").asLong()).isEqualTo(DOCUMENTS);
    assertThat(job.path("deadLettered").asLong()).isZero();
    assertThat(job.path("tenant").asText()).isEqualTo("it");
    await().atMost(Duration.ofSeconds(60)).until(() -> decided(api, jobId) == DOCUMENTS);

    CliRun list = CliRun.run("job", "list", "--status-url", statusUrl, "--tenant", "it");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains(jobId).contains("DONE");
    // this streams app runs without the document memory: 'similar' says how to turn it on
    CliRun similar = CliRun.run("similar", "any-request", "--status-url", statusUrl);
    assertThat(similar.code()).isEqualTo(1);
    assertThat(similar.err())
        .contains("similar: the document memory is off on this instance")
        .contains("memory.enabled=true");

    // 4. the export: every document once, in submission order, with its answer and audit
    Path exported = dir.resolve("answers.jsonl");
    CliRun export =
        CliRun.run(
            "job",
            "export",
            jobId,
            "--format",
            "jsonl",
            "--out",
            exported.toString(),
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--topic-prefix",
            catalog.prefix());
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.err()).contains("exported 2,000 document(s): 2,000 answered");
    List<String> rows = Files.readAllLines(exported);
    assertThat(rows).hasSize(DOCUMENTS);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < DOCUMENTS; i++) {
      JsonNode row = json.readTree(rows.get(i));
      assertThat(row.path("seq").asLong()).isEqualTo(i);
      assertThat(row.path("source").asText()).isEqualTo(docs + ":" + (i + 1));
      assertThat(row.path("requestId").asText())
          .isEqualTo(
              JobIds.requestId(jobId, docs + ":" + (i + 1), JobIds.contentSha256(text(i), null)));
      assertThat(row.path("status").asText()).isEqualTo("OK");
      assertThat(row.path("labels")).isNotEmpty();
      assertThat(row.path("experts")).isNotEmpty();
      assertThat(row.path("modelVersion").asText()).isEqualTo("test-1");
      assertThat(row.path("decision").asText()).isIn("APPROVED", "REVIEW", "BLOCKED");
      assertThat(row.path("auditSha256").asText()).hasSize(64);
      assertThat(rows.get(i)).doesNotContain(text(i)); // no document text in the export
    }

    // 5. requests of the job sent again past the skip (a second submitter at the same time):
    // the same ids, so intake rejects them as duplicates; no answer and no count changes
    int again = 50;
    resend(stack, topics.requestsInbound(), jobId, again);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> keysOf(stack, topics.deadLetters(), jobId).size() == again);
    assertThat(keysOf(stack, topics.responses(), jobId)).hasSize(DOCUMENTS).doesNotHaveDuplicates();
    JsonNode after = ((JobApi.Found) api.job(jobId)).body();
    assertThat(after.path("submitted").asLong()).isEqualTo(DOCUMENTS);
    assertThat(after.path("answered").asLong()).isEqualTo(DOCUMENTS);
    assertThat(after.path("deadLettered").asLong()).isZero();
  }

  /** Copies the first {@code n} records of {@code jobId} on {@code topic} back onto it, as sent. */
  private static void resend(LocalStack stack, String topic, String jobId, int n) throws Exception {
    Map<String, Object> p = new HashMap<>(stack.clientProperties());
    List<ProducerRecord<byte[], byte[]>> copies = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (copies.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
          if (copies.size() < n && JobIds.belongs(key, jobId)) {
            copies.add(new ProducerRecord<>(topic, r.key(), r.value()));
          }
        }
      }
    }
    assertThat(copies).hasSize(n);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> copy : copies) {
        producer.send(copy).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static long decided(JobApi api, String jobId) {
    if (api.job(jobId) instanceof JobApi.Found found) {
      long sum = 0;
      for (JsonNode n : found.body().path("decisions")) {
        sum += n.asLong();
      }
      return sum;
    }
    return -1;
  }

  /** A short document, different for each i. */
  static String text(int i) {
    String[] words = {
      "invoice", "payment", "contract", "delivery", "meeting", "report", "budget", "quarter",
      "customer", "supplier", "review", "policy", "schedule", "project", "market", "service"
    };
    StringBuilder b = new StringBuilder("Note ").append(i).append(':');
    for (int w = 0; w < 12; w++) {
      b.append(' ').append(words[(i * 7 + w * 3 + i / 16) % words.length]);
    }
    return b.append('.').toString();
  }

  /** The keys on {@code topic} (committed records) that belong to {@code jobId}. */
  private static List<String> keysOf(LocalStack stack, String topic, String jobId) {
    Map<String, Object> p = new HashMap<>(stack.clientProperties());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (JobIds.belongs(r.key(), jobId)) {
            keys.add(r.key());
          }
        }
      }
    }
    return keys;
  }

  private Process start(String name, String... args) throws Exception {
    Process p = CliProcess.start(dir, dir.resolve(name + ".log"), args);
    children.add(p);
    return p;
  }

  private String log(String name) throws Exception {
    return Files.readString(dir.resolve(name + ".log"));
  }
}
