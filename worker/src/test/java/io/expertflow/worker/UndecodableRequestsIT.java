package io.expertflow.worker;

import static io.expertflow.worker.DeliveryChecks.PATIENCE;
import static io.expertflow.worker.DeliveryChecks.awaitOutcomes;
import static io.expertflow.worker.DeliveryChecks.keyOf;
import static io.expertflow.worker.DeliveryChecks.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records on {@code requests} that hold no usable request (not Avro, a wrong magic byte, an unknown
 * schema id, a tombstone, empty or blank text), between good ones on one partition, through the
 * consumer-group worker in exactly-once mode on the real broker and registry: each bad one ends as
 * one dead letter with its reason, and its neighbours are answered.
 */
@WithLocalStack
class UndecodableRequestsIT {
  @TempDir static Path bundleDir;
  private static ModelBundle bundle;

  @BeforeAll
  static void writeBundle() {
    bundle = ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
  }

  @Test
  void shouldDeadLetterUndecodableAndEmptyRecordsAndAnswerTheirNeighbours(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("ExactlyOnceDeliveryIT-malformed");
    Map<String, DeadLetterReason> expectedLetters = new HashMap<>();
    List<String> good = new ArrayList<>();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        WorkerUnderTest worker = worker(stack, topics, "eo-malformed")) {
      // every bad record sits between good ones on the same partition
      good.add(sendGood(feed, "n-0"));
      byte[] json =
          "{\"request_id\":\"json-1\",\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
      feed.sendRaw(0, "doc-json", json);
      expectedLetters.put("doc-json", DeadLetterReason.UNDECODABLE);
      good.add(sendGood(feed, "n-1"));
      feed.sendRaw(0, "doc-magic", new byte[] {7, 0, 0, 0, 1, 2, 4, 6, 8});
      expectedLetters.put("doc-magic", DeadLetterReason.UNDECODABLE);
      good.add(sendGood(feed, "n-2"));
      feed.sendRaw(
          0, "doc-unknown-schema", new byte[] {0, 0x3b, (byte) 0x9a, (byte) 0xc9, 0, 2, 4});
      expectedLetters.put("doc-unknown-schema", DeadLetterReason.UNKNOWN_SCHEMA);
      good.add(sendGood(feed, "n-3"));
      feed.send(0, Requests.withText("empty", ""));
      expectedLetters.put("doc-empty", DeadLetterReason.EMPTY_TEXT);
      good.add(sendGood(feed, "n-4"));
      feed.send(0, Requests.withText("blank", " \n\t "));
      expectedLetters.put("doc-blank", DeadLetterReason.EMPTY_TEXT);
      good.add(sendGood(feed, "n-5"));
      feed.sendRaw(0, "doc-tombstone", null);
      expectedLetters.put("doc-tombstone", DeadLetterReason.UNDECODABLE);
      good.add(sendGood(feed, "n-6"));
      feed.flush();
      awaitOutcomes(ledger, good.size() + expectedLetters.size());
      worker.close();
      ledger.readToEnd(PATIENCE);

      assertThat(ledger.unanswered(good)).isEmpty();
      assertThat(ledger.duplicates()).isEmpty();
      assertThat(ledger.responses()).hasSize(good.size());
      assertThat(ledger.responses())
          .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK));
      Map<String, DeadLetterReason> letters = new HashMap<>();
      for (DeadLetter d : ledger.deadLetters()) {
        assertThat(letters.put(keyOf(d), d.getReason()))
            .as("second dead letter for %s", keyOf(d))
            .isNull();
        assertThat(d.getSourcePartition()).isZero();
        assertThat(d.getDetail()).isNotBlank();
      }
      assertThat(letters).isEqualTo(expectedLetters);
      report(
          "malformed: %d good -> %d OK responses; %d bad -> dead letters %s",
          good.size(), ledger.responses().size(), ledger.deadLetters().size(), letters);
    }
  }

  private static String sendGood(RequestFeed feed, String id) {
    feed.send(0, Requests.document(id, id.hashCode()));
    return id;
  }

  private static WorkerUnderTest worker(LocalStack stack, TopicCatalog topics, String id) {
    return WorkerUnderTest.start(
        WorkerUnderTest.properties(id, "exactly_once", topics.prefix()),
        bundle,
        WorkerUnderTest.tokenization(bundle),
        stack.clientProperties(),
        stack.registryClient());
  }
}
