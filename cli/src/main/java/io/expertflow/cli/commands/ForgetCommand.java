package io.expertflow.cli.commands;

import io.expertflow.memory.feed.MemoryRecords;
import io.expertflow.schemas.topics.LogicalTopic;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow forget ID...}: removes requests from every document memory. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Remove requests from the document memory: writes a tombstone for each request (its"
          + " answered document and its correction) on the memory topic. Every memory instance"
          + " (workers, streams apps) deletes the entry within one poll of the tombstone, and"
          + " compaction then removes the request's records from the topic itself. Exit code 0"
          + " once every tombstone is acknowledged by the brokers.",
      "",
      "Other topics keep what they hold until their own retention (responses 14 days, audit"
          + " 365 days: the audit holds hashes, not text or embeddings).",
      "",
      "Examples:",
      "  expertflow forget 7f1c2a9e-0d1b-4c55-9a53-2b8e3f0c6a11",
      "  expertflow forget r1 r2 r3 -b kafka:9092"
    })
public final class ForgetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "Request ids to forget.")
  List<String> ids = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String topic = connection.topic(LogicalTopic.MEMORY.logicalName());
    TopicExists.require(connection, topic);
    Map<String, Object> props = connection.kafkaProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (String id : ids) {
        if (id.isBlank()) {
          spec.commandLine().getErr().println("forget: a request id must not be blank");
          return 2;
        }
        for (String key : MemoryRecords.keysOf(id)) {
          sent.add(producer.send(new ProducerRecord<>(topic, key, null)));
        }
      }
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get();
      }
    }
    out.printf(
        "forgot %d request(s): %d tombstone(s) on %s; every document memory drops them within"
            + " a poll%n",
        ids.size(), sent.size(), topic);
    out.flush();
    return 0;
  }
}
