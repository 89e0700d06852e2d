package io.expertflow.worker;

import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import java.time.Duration;

/**
 * The shared {@link OutcomeReader} over the test stack's broker, from the beginning of the topics:
 * everything the workers delivered, as a downstream reader sees it. One test thread.
 */
final class OutcomeLedger extends OutcomeReader {

  OutcomeLedger(LocalStack stack, TopicCatalog topics) {
    super(
        stack.clientProperties(),
        stack.registryClient(),
        true,
        TopicNames.of(topics),
        From.BEGINNING);
  }

  /** Reads what arrived since the last call (waits at most 200 ms); returns this ledger. */
  OutcomeLedger poll() {
    poll(Duration.ofMillis(200));
    return this;
  }
}
