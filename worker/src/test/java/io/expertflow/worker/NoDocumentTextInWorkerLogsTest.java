package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.batching.BatchListener;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.testsupport.LogCapture;
import io.expertflow.worker.pipeline.ModelDocumentProcessor;
import io.expertflow.worker.pipeline.PipelineConfig;
import io.expertflow.worker.pipeline.ServingModel;
import io.expertflow.worker.pipeline.ServingModelRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Document text never reaches a worker's log lines (at any level, exceptions included) nor what it
 * writes to Kafka beside the original bytes a dead letter keeps: the delivery loop on Kafka's mock
 * clients with the real pipeline (tiny bundle, ONNX Runtime on CPU), fed a document it answers, one
 * given as passages, a poison document the batcher bisects out, a value that is not Avro, an empty
 * text and one past its deadline, each holding a word no log line would hold by chance.
 */
@ExtendWith(LogCapture.Extension.class)
class NoDocumentTextInWorkerLogsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String SECRET = "zanzibarquartzite";

  @TempDir Path dir;

  @Test
  void shouldKeepDocumentTextOutOfLogsAndWhatItWrites(LogCapture logs) throws Exception {
    MockDelivery delivery = new MockDelivery("exactly_once");
    RereadingConsumer consumer = new RereadingConsumer();
    TopicPartition p0 = new TopicPartition(delivery.requests(), 0);
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("bundle"), WorkerUnderTest.LABELS);
    try (Engine engine = Engine.start(WorkerUnderTest.engine());
        EncoderSession encoder = bundle.openEncoder(engine);
        HeadSession head = bundle.openHead(engine)) {
      ModelDocumentProcessor processor =
          new ModelDocumentProcessor(
              PipelineConfig.defaults(),
              encoder,
              new PoisonMarkerTokenization(WorkerUnderTest.tokenization(bundle)),
              new ServingModelRef(new ServingModel("tiny", "v1", head)),
              BatchListener.NONE,
              e -> {},
              Clock.systemUTC(),
              MockDelivery.WORKER,
              null,
              Tracing.off());
      InferenceWorker worker =
          new InferenceWorker(
              delivery.config,
              Map.of("bootstrap.servers", "mock:9092"),
              delivery.registry,
              processor,
              WorkerListener.NONE,
              Clock.systemUTC(),
              new RecordingClients(consumer, null, delivery.producer),
              delivery.outage,
              Tracing.off());
      consumer.updateBeginningOffsets(Map.of(p0, 0L));
      consumer.schedulePollTask(() -> consumer.rebalance(List.of(p0)));
      Thread loop = delivery.start(worker);
      try {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(
            delivery.record(0, 0, Requests.withText("plain", "the " + SECRET + " report"), 1));
        InferenceRequest passages = Requests.withText("passages", "unused");
        passages.setText(null);
        passages.setChunks(List.of("the " + SECRET + " season", "and its market"));
        records.add(delivery.record(0, 1, passages, 1));
        records.add(
            delivery.record(
                0,
                2,
                Requests.withText(
                    "poison", "the " + PoisonMarkerTokenization.MARKER + " " + SECRET + " river"),
                1));
        records.add(
            delivery.raw(
                0, 3, "doc-garbled", ("not avro: " + SECRET).getBytes(StandardCharsets.UTF_8), 1));
        records.add(delivery.record(0, 4, Requests.withText("empty", ""), 1));
        InferenceRequest late = Requests.withText("late", "the " + SECRET + " letter");
        late.setDeadline(Instant.now().minusSeconds(60));
        records.add(delivery.record(0, 5, late, 1));
        records.forEach(r -> consumer.schedulePollTask(() -> consumer.append(r)));

        await()
            .atMost(PATIENCE)
            .until(() -> delivery.responses().size() + delivery.deadLetters().size() == 6);
      } finally {
        worker.close();
        loop.join(PATIENCE.toMillis());
        processor.close();
      }
    }

    List<InferenceResponse> responses = delivery.responses();
    List<DeadLetter> letters = delivery.deadLetters();
    assertThat(responses)
        .extracting(r -> r.getRequestId().toString())
        .contains("plain", "passages");
    assertThat(letters)
        .extracting(DeadLetter::getReason)
        .contains(DeadLetterReason.POISON, DeadLetterReason.EMPTY_TEXT);
    List<String> lines = logs.lines();
    assertThat(lines).as("the capture saw the worker's log lines").isNotEmpty();
    for (String line : lines) {
      assertThat(line).doesNotContain(SECRET);
    }
    // a dead letter keeps the original bytes so that it can be replayed; its detail names no text
    for (DeadLetter letter : letters) {
      assertThat(letter.getDetail().toString())
          .as(letter.getReason().name())
          .doesNotContain(SECRET);
    }
    for (InferenceResponse response : responses) {
      assertThat(response.toString()).as(response.getRequestId().toString()).doesNotContain(SECRET);
    }
    assertThat(delivery.failure()).isEmpty();
  }
}
