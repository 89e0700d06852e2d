package io.expertflow.bench.worker;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole pipeline as a user runs it: the streams app's intake and compliance topologies (in this
 * JVM, exactly-once) around the worker of {@link WorkerRun}. Requests are preloaded onto {@code
 * requests.inbound} in one transaction; the clock runs from its commit until a read_committed
 * reader has seen every request's compliance outcome (approved, review or blocked). Not
 * thread-safe; one phase at a time.
 */
final class PipelineRun implements AutoCloseable {
  private final StreamsApp app;
  private final PreloadedRequests preload;
  private final KafkaConsumer<String, byte[]> outcomes;
  private final Duration timeout;

  PipelineRun(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String bootstrap,
      String registryUrl,
      String prefix,
      Duration timeout)
      throws java.io.IOException {
    Path state = Files.createTempDirectory("bench-pipeline");
    this.app =
        StreamsApp.start(
            StreamsAppConfig.builder()
                .bootstrapServers(bootstrap)
                .schemaRegistryUrl(registryUrl)
                .applicationId("bench-pipeline")
                .topicPrefix(prefix)
                .stateDir(state)
                .instanceId("bench")
                .topologies(EnumSet.of(AppTopology.INTAKE, AppTopology.COMPLIANCE))
                .httpEnabled(false)
                .build(),
            registry);
    TopicNames topics = new TopicNames(prefix);
    this.preload =
        new PreloadedRequests(kafka, registry, topics.requestsInbound(), "bench-pipeline-preload");
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.outcomes = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t :
        List.of(topics.responsesApproved(), topics.responsesReview(), topics.responsesBlocked())) {
      for (PartitionInfo p : outcomes.partitionsFor(t)) {
        partitions.add(new TopicPartition(t, p.partition()));
      }
    }
    outcomes.assign(partitions);
    outcomes.seekToEnd(partitions);
    partitions.forEach(outcomes::position); // fix the positions before anything is written
    this.timeout = timeout;
  }

  /**
   * Preloads {@code texts} onto the inbound topic, commits, and waits for every compliance outcome.
   *
   * @return documents per second from the commit to the last outcome read; -1 when some were not
   *     answered within the timeout
   */
  double timed(List<String> texts, String name) {
    Set<String> waiting = new HashSet<>(preload.write(texts, name));
    long start = System.nanoTime();
    preload.commit();
    long last = start;
    long deadline = start + timeout.toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : outcomes.poll(Duration.ofMillis(5))) {
        if (waiting.remove(r.key())) {
          last = System.nanoTime();
        }
      }
    }
    return waiting.isEmpty() ? texts.size() / ((last - start) / 1e9) : -1;
  }

  @Override
  public void close() {
    outcomes.close();
    preload.close();
    app.close();
  }
}
