package io.expertflow.schemas.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaAccessDeniedTest {

  @Test
  void shouldNameTheOperationAndTheTopicOfARefusedRead() {
    var refused = new TopicAuthorizationException(Set.of("expertflow.responses"));

    assertThat(KafkaAccessDenied.of(new KafkaException("poll failed", refused), "Read"))
        .get()
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("not authorised to Read topic expertflow.responses:")
        .contains("--operation Read --topic expertflow.responses");
  }

  @Test
  void shouldNameTheGroupAndTheTransactionalIdCases() {
    assertThat(
            KafkaAccessDenied.of(
                    new ExecutionException(new GroupAuthorizationException("no", "tail-1")), null)
                .orElseThrow()
                .getMessage())
        .startsWith("not authorised to Read group tail-1:");
    assertThat(
            KafkaAccessDenied.of(new TransactionalIdAuthorizationException("no"), null)
                .orElseThrow()
                .getMessage())
        .startsWith("not authorised to Write transactionalId");
  }

  @Test
  void shouldSayUseWhenTheOperationIsNotKnown() {
    assertThat(
            KafkaAccessDenied.of(new TopicAuthorizationException(Set.of("a", "b")), null)
                .orElseThrow()
                .getMessage())
        .startsWith("not authorised to use topics a, b:");
  }

  @Test
  void shouldFindNothingInOtherFailures() {
    assertThat(KafkaAccessDenied.of(new IllegalStateException("x"), "Read")).isEmpty();
  }
}
