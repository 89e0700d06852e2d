package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.Subjects;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsApp;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node example of docs/INTEGRATIONS.md ({@code integrations/node/roundtrip.mjs}: KafkaJS and
 * Confluent's own schema registry client) against the real broker and registry, the streams app in
 * this JVM and a real {@code expertflow worker} on the tiny test bundle: the request Node writes
 * passes the intake and is answered, Node decodes the response, and the feedback event Node writes
 * decodes in Java. The wire format stays readable both ways by a client that is not ours. Installs
 * the example's locked packages with {@code npm ci} on first run; skipped where npm is missing.
 */
@WithLocalStack
class NodeClientIT {
  private static final Path EXAMPLE =
      Path.of("..", "integrations", "node").toAbsolutePath().normalize();

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
  void shouldAnswerANodeClientAndReadItsFeedback(LocalStack stack) throws Exception {
    assumeThat(available("npm", "--version")).as("npm (and node) on the PATH").isTrue();
    assertThat(EXAMPLE.resolve("package-lock.json")).exists();
    if (!Files.isDirectory(EXAMPLE.resolve("node_modules"))) {
      assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), "npm-ci", 300))
          .as("npm ci in %s; log %s", EXAMPLE, dir.resolve("npm-ci.log"))
          .isZero();
    }
    TopicCatalog catalog = stack.isolatedTopics("NodeClientIT");
    TopicNames topics = TopicNames.of(catalog);
    SchemaRegistryClient registry = stack.registryClient();
    // what expertflow submit and feedback register on first use; clients write with the latest
    registry.register(
        Subjects.subject(topics.requestsInbound(), false), InferenceRequest.getClassSchema());
    registry.register(Subjects.subject(topics.feedback(), false), FeedbackEvent.getClassSchema());

    streams =
        StreamsApp.start(
            TestPipeline.streamsConfig(
                stack,
                catalog,
                dir,
                "node-it",
                EnumSet.of(AppTopology.INTAKE, AppTopology.COMPLIANCE, AppTopology.STATUS)),
            registry);
    Process worker = TestPipeline.startWorker(dir, stack, catalog, "node-it");
    children.add(worker);
    await().atMost(Duration.ofSeconds(90)).until(streams::isRunning);

    Map<String, String> env =
        Map.of(
            "EXPERTFLOW_BOOTSTRAP", stack.bootstrapServers(),
            "EXPERTFLOW_REGISTRY", stack.schemaRegistryUrl(),
            "EXPERTFLOW_TOPIC_PREFIX", catalog.prefix(),
            "EXPERTFLOW_TENANT", "node",
            "EXPERTFLOW_TIMEOUT_MS", "90000");
    int rc =
        run(
            List.of("node", "roundtrip.mjs", "An invoice for the delivery of three crates."),
            env,
            "node",
            180);

    String out = Files.readString(dir.resolve("node.log"));
    assertThat(rc).as("node roundtrip.mjs; output:%n%s", out).isZero();
    JsonNode response = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    String requestId = response.path("request_id").asText();
    assertThat(requestId).startsWith("node-");
    assertThat(response.path("status").asText()).isEqualTo("OK");
    assertThat(response.path("labels").get(0).path("label").asText()).isIn("a", "b", "c");
    assertThat(response.path("labels").get(0).path("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(response.path("experts").size()).isPositive();
    assertThat(response.path("model_version").asText()).isNotBlank();

    // the feedback event Node wrote, read back with the pipeline's own deserializer
    FeedbackEvent feedback = feedback(stack, registry, topics.feedback(), requestId);
    assertThat(feedback.getFeedbackId()).isEqualTo("fb-" + requestId);
    assertThat(feedback.getRating()).isEqualTo(1);
    assertThat(feedback.getCorrectedLabel()).isNull();
    assertThat(feedback.getSource()).isEqualTo("node-example");
  }

  private static FeedbackEvent feedback(
      LocalStack stack, SchemaRegistryClient registry, String topic, String requestId) {
    Map<String, Object> p = new HashMap<>(stack.clientProperties());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroDeserializer<FeedbackEvent> avro = new AvroDeserializer<>(registry, FeedbackEvent.class);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (requestId.equals(r.key())) {
            return avro.deserialize(topic, r.value());
          }
        }
      }
    }
    throw new AssertionError("no feedback for " + requestId + " on " + topic);
  }

  private int run(List<String> command, Map<String, String> env, String log, int seconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(EXAMPLE.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log + ".log").toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    children.add(p);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " did not finish within "
              + seconds
              + " s; output:\n"
              + Files.readString(dir.resolve(log + ".log")));
    }
    return p.exitValue();
  }

  private static boolean available(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
