package io.expertflow.operators.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {

  @Test
  void shouldStartFromTheDocumentedDefaults() {
    BatchPolicy policy = BatchPolicy.defaults();

    assertThat(policy.maxBatchSize()).isEqualTo(BatchPolicy.DEFAULT_MAX_BATCH_SIZE);
    assertThat(policy.maxQueueDelay()).isEqualTo(BatchPolicy.DEFAULT_MAX_QUEUE_DELAY);
    assertThat(policy.maxBatchTokens()).isEqualTo(BatchPolicy.DEFAULT_MAX_BATCH_TOKENS);
    assertThat(policy.lengthGrouping()).isTrue();
    assertThat(policy.priorityLanes()).isEqualTo(10);
    assertThat(policy.agingBound()).isEqualTo(BatchPolicy.DEFAULT_AGING_BOUND);
    assertThat(policy.maxQueuedItems()).isEqualTo(BatchPolicy.DEFAULT_MAX_QUEUED_ITEMS);
    assertThat(policy.maxAttempts()).isEqualTo(BatchPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThat(policy.concurrency()).isEqualTo(1);
  }

  @Test
  void shouldKeepEveryValueThroughToBuilder() {
    BatchPolicy policy =
        BatchPolicy.builder()
            .maxBatchSize(8)
            .maxQueueDelay(Duration.ofMillis(2))
            .maxBatchTokens(1024)
            .lengthGrouping(false)
            .lengthBucketTokens(8)
            .groupingWindow(64)
            .priorityLanes(3)
            .agingBound(Duration.ofMillis(40))
            .maxQueuedItems(100)
            .maxQueuedTokens(5000)
            .maxAttempts(2)
            .concurrency(4)
            .build();

    assertThat(policy.toBuilder().build()).hasToString(policy.toString());
    assertThat(policy.toString())
        .contains("maxBatchSize=8", "concurrency=4", "lengthGrouping=false");
  }

  @Test
  void shouldNameTheKnobAndTheValueWhenANumberIsOutOfRange() {
    assertThatThrownBy(() -> BatchPolicy.builder().maxBatchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatchSize must be at least 1 but was 0");
    assertThatThrownBy(() -> BatchPolicy.builder().concurrency(-2).build())
        .hasMessageContaining("concurrency must be at least 1 but was -2");
    assertThatThrownBy(() -> BatchPolicy.builder().priorityLanes(0).build())
        .hasMessageContaining("priorityLanes");
  }

  @Test
  void shouldRejectNegativeOrMissingDurations() {
    assertThatThrownBy(() -> BatchPolicy.builder().maxQueueDelay(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxQueueDelay must not be negative but was PT-0.001S");
    assertThatThrownBy(() -> BatchPolicy.builder().agingBound(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("agingBound");
  }

  @Test
  void shouldRejectAQueueTokenBoundThatCannotHoldOneFullBatch() {
    assertThatThrownBy(
            () -> BatchPolicy.builder().maxBatchTokens(4096).maxQueuedTokens(1000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxQueuedTokens (1000) is smaller than maxBatchTokens (4096)");
  }
}
