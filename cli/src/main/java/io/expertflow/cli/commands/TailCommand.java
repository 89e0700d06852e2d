package io.expertflow.cli.commands;

import io.expertflow.schemas.access.KafkaAccessDenied;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow tail}: prints the decoded records of a topic. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the records of a topic, decoded with the schema registry, as readable JSON.",
      "Only committed records are shown (read_committed). Text longer than --max-chars is shortened.",
      "",
      "Examples:",
      "  expertflow tail requests.inbound --max 5",
      "  expertflow tail responses --follow",
      "  expertflow tail dead-letters --pretty"
    })
public final class TailCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "TOPIC",
      description = "Topic: a logical name (responses) or a full name.")
  String topic;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Long max;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep waiting for new records (Ctrl-C stops).")
  boolean follow;

  @Option(
      names = "--from",
      defaultValue = "beginning",
      description = "Where to start: beginning or end (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(names = "--pretty", description = "Indent the JSON.")
  boolean pretty;

  @Option(
      names = "--max-chars",
      defaultValue = "120",
      description = "Shorten strings longer than this (default: ${DEFAULT-VALUE}).")
  int maxChars;

  @Option(
      names = "--idle-timeout",
      defaultValue = "PT5S",
      description =
          "Without --follow, stop when no record came for this long (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Override
  public Integer call() {
    try {
      return tail();
    } catch (AuthorizationException e) {
      throw KafkaAccessDenied.of(e, KafkaAccessDenied.READ).orElseThrow();
    }
  }

  private int tail() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String fullTopic = connection.topic(topic);
    Map<String, Object> props = connection.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "expertflow-tail-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    RecordRenderer renderer = new RecordRenderer(maxChars, pretty);
    long shown = 0;
    try (SchemaRegistryClient registry = connection.registryClient();
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      AvroDeserializer<GenericRecord> decoder = new AvroDeserializer<>(registry, null);
      var partitions = consumer.partitionsFor(fullTopic, Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        err.println("no topic " + fullTopic + " (is the stack up and the prefix right?)");
        return 1;
      }
      List<TopicPartition> tps =
          partitions.stream()
              .map(p -> new TopicPartition(fullTopic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(tps);
      if ("end".equals(from)) {
        consumer.seekToEnd(tps);
      } else {
        consumer.seekToBeginning(tps);
      }
      Instant lastRecord = Instant.now();
      while (max == null || shown < max) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          if (!follow && Duration.between(lastRecord, Instant.now()).compareTo(idleTimeout) > 0) {
            break;
          }
          continue;
        }
        lastRecord = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
          out.println(line(r, decoder, renderer));
          out.flush();
          if (max != null && ++shown >= max) {
            break;
          } else if (max == null) {
            shown++;
          }
        }
      }
    }
    err.printf("%d record(s) from %s%n", shown, fullTopic);
    return 0;
  }

  private static String line(
      ConsumerRecord<String, byte[]> r,
      AvroDeserializer<GenericRecord> decoder,
      RecordRenderer renderer) {
    String where = r.partition() + "@" + r.offset() + " key=" + r.key() + " ";
    if (r.value() == null) {
      return where + "null (tombstone)";
    }
    try {
      return where + renderer.render(decoder.deserialize(r.topic(), r.value()));
    } catch (WireFormatException e) {
      return where + "<undecodable: " + e.reason() + ": " + e.getMessage() + ">";
    }
  }
}
