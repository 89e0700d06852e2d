package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.cli.Expertflow;
import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A bundle trained with {@code expertflow train --data} on the user's own labels, served by a real
 * {@code expertflow worker} process on the local broker and registry: every request is answered
 * with one of the user's labels and the bundle's version.
 */
@WithLocalStack
class OwnDataServingIT {
  @TempDir Path dir;
  private Process worker;

  @AfterEach
  void stopWorker() {
    if (worker != null) {
      worker.destroyForcibly();
    }
  }

  @Test
  void shouldServeABundleTrainedOnTheUsersOwnLabels(LocalStack stack) throws Exception {
    Map<String, List<String>> paragraphs = DocsText.paragraphs(12);
    Path data = Files.write(dir.resolve("docs.jsonl"), DocsText.jsonLines(paragraphs));
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Expertflow());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int trained =
        cli.execute(
            "train",
            "--data",
            data.toString(),
            "--out",
            dir.resolve("own").toString(),
            "--cache",
            dir.resolve("cache").toString(),
            "--model-version",
            "own-1",
            "--experts",
            "8",
            "--domains",
            "2",
            "--expert-hidden",
            "8",
            "--epochs",
            "10",
            "--max-chunks",
            "2",
            "--min-per-label",
            "5");
    assertThat(trained).as(err.toString()).isZero();

    TopicCatalog topics = stack.isolatedTopics("OwnDataServingIT");
    Path log = dir.resolve("worker.log");
    worker =
        CliProcess.start(
            dir,
            log,
            "worker",
            "--bundle",
            dir.resolve("own").resolve("model").toString(),
            "-b",
            stack.bootstrapServers(),
            "-r",
            stack.schemaRegistryUrl(),
            "--topic-prefix",
            topics.prefix(),
            "--worker-id",
            "own-data-it",
            "--engine",
            "cpu",
            "--http-port",
            "0");

    TopicNames names = TopicNames.of(topics);
    List<String> ids = new ArrayList<>();
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (OutcomeReader reader =
            new OutcomeReader(
                stack.clientProperties(),
                stack.registryClient(),
                true,
                names,
                OutcomeReader.From.BEGINNING);
        KafkaProducer<String, InferenceRequest> producer =
            new KafkaProducer<>(
                props,
                new StringSerializer(),
                new AvroSerializer<>(stack.registryClient(), false))) {
      int n = 0;
      for (Map.Entry<String, List<String>> e : paragraphs.entrySet()) {
        for (String text : e.getValue().subList(0, 3)) {
          String id = "own-" + n++;
          ids.add(id);
          InferenceRequest request =
              InferenceRequest.newBuilder()
                  .setRequestId(id)
                  .setDocumentId(id)
                  .setTenant("it")
                  .setText(text)
                  .setSubmittedAt(Instant.now())
                  .build();
          producer
              .send(new ProducerRecord<>(names.requests(), id, request))
              .get(30, TimeUnit.SECONDS);
        }
      }

      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                assertThat(worker.isAlive())
                    .as("worker alive; log:%n%s", Files.readString(log))
                    .isTrue();
                return reader.readUntilAnswered(ids, Duration.ofSeconds(1));
              });

      assertThat(reader.duplicates()).isEmpty();
      assertThat(reader.deadLetters()).isEmpty();
      for (InferenceResponse r : reader.responses()) {
        assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK);
        assertThat(r.getModelVersion()).isEqualTo("own-1");
        assertThat(r.getLabels().get(0).getLabel()).isIn("feedback", "model", "streams");
      }
    }
  }
}
