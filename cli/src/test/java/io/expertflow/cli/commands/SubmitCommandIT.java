package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expertflow submit} against the real broker and registry. */
@WithLocalStack
class SubmitCommandIT {
  @TempDir Path folder;

  @Test
  void shouldRefuseADocumentLargerThanAKafkaRecordByNameAndSendTheOthers(LocalStack stack)
      throws IOException {
    TopicCatalog topics = stack.isolatedTopics("SubmitCommandIT");
    String prose = projectDocs();
    Files.writeString(folder.resolve("small.md"), prose.substring(0, 4000));
    StringBuilder big = new StringBuilder();
    while (big.length() < 1_500_000) { // over Kafka's default 1 MiB record limit
      big.append(prose);
    }
    Files.writeString(folder.resolve("big.md"), big);

    CliRun submit = submit(stack, topics.prefix());

    assertThat(submit.code()).isEqualTo(1);
    assertThat(submit.err())
        .contains("refused big.md: its request is larger than a Kafka record may be")
        .contains("max.request.size")
        .contains("max.message.bytes")
        .contains("1 document(s) refused as too large")
        .doesNotContain(prose.substring(0, 80)); // no document text in messages
    assertThat(submit.out()).contains("submitted 1 request(s)");
    assertThat(documentIdsOn(stack, topics.name(LogicalTopic.REQUESTS_INBOUND)))
        .containsExactly("small.md");
  }

  @Test
  void shouldPrintTheRequestIdOfEachDocumentWithIds(LocalStack stack) throws IOException {
    TopicCatalog topics = stack.isolatedTopics("SubmitIdsIT");
    Files.writeString(folder.resolve("invoice.txt"), "The invoice was charged twice.");
    Files.writeString(folder.resolve("outage.txt"), "The EU region has been down since noon.");

    CliRun submit = submit(stack, topics.prefix(), "--ids");

    assertThat(submit.code()).isEqualTo(0);
    Map<String, String> onTopic = new HashMap<>();
    requestsOn(stack, topics.name(LogicalTopic.REQUESTS_INBOUND))
        .forEach(r -> onTopic.put(r.getRequestId().toString(), r.getDocumentId().toString()));
    // standard output holds the ids alone, one request a line, as the topic has them
    assertThat(onTopic).hasSize(2).containsValues("invoice.txt", "outage.txt");
    assertThat(submit.out().lines().map(l -> l.split("\t")).toList())
        .hasSize(2)
        .allSatisfy(f -> assertThat(onTopic).containsEntry(f[0], f[1]));
    assertThat(submit.err()).contains("submitted 2 request(s)");
  }

  @Test
  void shouldSayAtOnceThatTheTopicDoesNotExistRatherThanWaitOrMakeIt(LocalStack stack)
      throws Exception {
    Files.writeString(folder.resolve("invoice.txt"), "The invoice was charged twice.");
    String prefix = "never-provisioned.";

    CliRun submit = submit(stack, prefix);

    assertThat(submit.code()).isEqualTo(1);
    assertThat(submit.err())
        .contains("topic never-provisioned.requests.inbound does not exist on Kafka at")
        .contains("expertflow topics apply --topic-prefix never-provisioned.");
    // the test broker creates topics on first use, as Kafka does by default: nothing asked it to
    try (Admin admin = Admin.create(stack.clientProperties())) {
      assertThat(admin.listTopics().names().get()).noneMatch(t -> t.startsWith(prefix));
    }
  }

  /** {@code expertflow submit} of the folder to the stack under {@code prefix}. */
  private CliRun submit(LocalStack stack, String prefix, String... options) {
    List<String> args = new ArrayList<>(List.of("submit"));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            folder.toString(),
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--topic-prefix",
            prefix));
    return CliRun.run(args.toArray(String[]::new));
  }

  /** Real English prose: the project's own documentation. */
  private static String projectDocs() throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        text.append(Files.readString(doc, StandardCharsets.UTF_8)).append('\n');
      }
    }
    return text.toString();
  }

  /** The document ids of every request on the topic. */
  private static List<String> documentIdsOn(LocalStack stack, String topic) {
    return requestsOn(stack, topic).stream().map(r -> r.getDocumentId().toString()).toList();
  }

  /** Every request on the topic. */
  private static List<InferenceRequest> requestsOn(LocalStack stack, String topic) {
    Map<String, Object> p = new HashMap<>(stack.clientProperties());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<InferenceRequest> requests = new ArrayList<>();
    try (KafkaConsumer<String, InferenceRequest> consumer =
        new KafkaConsumer<>(
            p,
            new StringDeserializer(),
            new AvroDeserializer<>(stack.registryClient(), InferenceRequest.class))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, InferenceRequest> r : consumer.poll(Duration.ofMillis(200))) {
          requests.add(r.value());
        }
      }
    }
    return requests;
  }
}
