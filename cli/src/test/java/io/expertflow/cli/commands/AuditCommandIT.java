package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed audit on the real broker and registry: the compliance topology signs with a key from
 * {@code audit keygen}, its chains go on across a restart on an empty state folder (the heads come
 * back from the changelog), {@code audit verify} passes the topic, then names a forged record.
 */
@WithLocalStack
class AuditCommandIT {
  @TempDir Path dir;

  @Test
  void shouldSignChainAcrossARestartAndNameAForgedRecord(LocalStack stack) throws Exception {
    TopicCatalog catalog = stack.isolatedTopics("AuditCommandIT");
    TopicNames topics = TopicNames.of(catalog);
    String[] connection = {
      "-b",
      stack.bootstrapServers(),
      "-r",
      stack.schemaRegistryUrl(),
      "--topic-prefix",
      catalog.prefix()
    };
    CliRun keygen = run(new String[0], "audit", "keygen", "--out", dir.resolve("keys").toString());
    assertThat(keygen.code()).as(keygen.err()).isZero();
    String keyId = keygen.out().substring("key id ".length(), "key id ".length() + 16);
    Path publicKey = dir.resolve("keys").resolve(AuditCommand.PUBLIC_FILE);

    try (SchemaRegistryClient registry = stack.registryClient();
        KafkaProducer<String, SpecificRecord> producer =
            new KafkaProducer<>(
                new HashMap<>(stack.clientProperties()),
                new StringSerializer(),
                new AvroSerializer<>(registry, false))) {
      runCompliance(stack, catalog, registry, dir.resolve("state-1"), producer, topics, "a", 6);
      runCompliance(stack, catalog, registry, dir.resolve("state-2"), producer, topics, "b", 12);

      List<ConsumerRecord<String, AuditRecord>> audit = readAudit(stack, registry, topics, 12);
      assertThat(audit).allSatisfy(r -> assertThat(r.value().getKeyId()).isEqualTo(keyId));
      Map<String, List<Long>> sequences = new TreeMap<>();
      for (ConsumerRecord<String, AuditRecord> r : audit) {
        sequences
            .computeIfAbsent(r.value().getChain(), c -> new ArrayList<>())
            .add(r.value().getSequence());
      }
      // every chain counts 1, 2, 3, ... across the restart: its head came back from the changelog
      sequences.values().forEach(s -> assertThat(s).isEqualTo(range(s.size())));
      assertThat(sequences.keySet().size()).isGreaterThan(1);

      CliRun clean = run(connection, "audit", "verify", "--public-key", publicKey.toString());
      assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
      assertThat(clean.out())
          .contains(
              "12 record(s) checked in " + sequences.size() + " chain(s): 12 ok, 0 problem(s)");

      ConsumerRecord<String, AuditRecord> victim = audit.get(audit.size() - 1);
      AuditRecord forged =
          AuditRecord.newBuilder(victim.value()).setOutputSha256("0".repeat(64)).build();
      var sent =
          producer
              .send(new ProducerRecord<>(topics.audit(), victim.partition(), victim.key(), forged))
              .get();

      CliRun tampered = run(connection, "audit", "verify", "--public-key", publicKey.toString());
      assertThat(tampered.code()).isEqualTo(1);
      assertThat(tampered.out())
          .contains(
              "problem: "
                  + sent.partition()
                  + "@"
                  + sent.offset()
                  + " request "
                  + victim.key()
                  + ": BAD_SIGNATURE")
          .contains("13 record(s) checked");

      CliRun before =
          run(
              connection,
              "audit",
              "verify",
              "--public-key",
              publicKey.toString(),
              "--partition",
              String.valueOf(sent.partition()),
              "--to",
              String.valueOf(sent.offset()));
      assertThat(before.code()).as(before.out()).isZero();
    }
  }

  private static List<Long> range(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  /** Runs the compliance topology until the audit topic holds {@code total} records. */
  private void runCompliance(
      LocalStack stack,
      TopicCatalog catalog,
      SchemaRegistryClient registry,
      Path stateDir,
      KafkaProducer<String, SpecificRecord> producer,
      TopicNames topics,
      String batch,
      int total)
      throws Exception {
    StreamsAppConfig config =
        StreamsAppConfig.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .applicationId("audit-it-" + catalog.prefix().replace(".", ""))
            .topicPrefix(catalog.prefix())
            .topologies(Set.of(AppTopology.COMPLIANCE))
            .stateDir(stateDir)
            .instanceId("it")
            .httpEnabled(false)
            .auditSigningKeyFile(dir.resolve("keys").resolve(AuditCommand.PRIVATE_FILE))
            // the restarted member takes over the closed one's tasks after this, not the 45 s
            // default
            .streamsOverride("consumer.session.timeout.ms", "6000")
            .build();
    try (StreamsApp app = StreamsApp.start(config, registry)) {
      for (int i = 0; i < 6; i++) {
        String id = batch + i;
        producer.send(new ProducerRecord<>(topics.responses(), id, response(id))).get();
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> readAudit(stack, registry, topics, total).size() >= total);
    }
  }

  private static List<ConsumerRecord<String, AuditRecord>> readAudit(
      LocalStack stack, SchemaRegistryClient registry, TopicNames topics, int expected) {
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, AuditRecord>> out = new ArrayList<>();
    try (KafkaConsumer<String, AuditRecord> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), new AvroDeserializer<>(registry, AuditRecord.class))) {
      var tps =
          consumer.partitionsFor(topics.audit()).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static InferenceResponse response(String id) {
    Instant t0 = Instant.parse("2026-03-02T00:00:00Z");
    return InferenceResponse.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setLabels(List.of(new LabelScore("news", 0.9f), new LabelScore("other", 0.1f)))
        .setExperts(List.of(new ExpertGate(1, 1f)))
        .setDomainExpert(0)
        .setModelName("minilm-moe")
        .setModelVersion("v1")
        .setEmbedding(List.of(0.6f, 0.8f))
        .setInputSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setChunkCount(1)
        .setTimings(new Timings(1L, 2L, 3L, 6L))
        .setWorkerId("worker-1")
        .setProducedAt(t0)
        .setAttributes(Map.of())
        .build();
  }

  private static CliRun run(String[] connection, String... args) {
    return CliRun.run(args, connection);
  }
}
