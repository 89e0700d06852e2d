package io.expertflow.worker;

import static org.awaitility.Awaitility.await;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.testsupport.LocalStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * What the delivery integration tests wait for and report, on the real broker: outcomes counted by
 * an {@link OutcomeLedger}, group members with partitions, and the {@code [delivery]} report line.
 */
final class DeliveryChecks {
  /** How long a delivery test waits for what it expects. */
  static final Duration PATIENCE = Duration.ofMinutes(4);

  private DeliveryChecks() {}

  /** Waits until {@code expected} requests have a response or a dead letter. */
  static void awaitOutcomes(OutcomeLedger ledger, int expected) {
    await()
        .atMost(PATIENCE)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ledger.poll().answered() + ledger.deadLetters().size() >= expected);
  }

  /** Waits until the consumer group has {@code members} members, each with a partition. */
  static void awaitMembersWithPartitions(LocalStack stack, String group, int members) {
    try (Admin admin = stack.newAdmin()) {
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                ConsumerGroupDescription d =
                    admin
                        .describeConsumerGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(30, TimeUnit.SECONDS);
                return d.members().size() == members
                    && d.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
              });
    }
  }

  /** Waits until the share group has {@code members} members, each assigned a partition. */
  static void awaitShareMembers(LocalStack stack, String group, int members) {
    try (Admin admin = stack.newAdmin()) {
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                var described =
                    admin
                        .describeShareGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(30, TimeUnit.SECONDS);
                return described.members().size() == members
                    && described.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
              });
    }
  }

  /** The original key of a dead letter's record, as text. */
  static String keyOf(DeadLetter d) {
    ByteBuffer key = d.getOriginalKey();
    return key == null ? null : StandardCharsets.UTF_8.decode(key.duplicate()).toString();
  }

  /** Dead letters counted by reason. */
  static Map<DeadLetterReason, Long> reasons(OutcomeLedger ledger) {
    Map<DeadLetterReason, Long> out = new HashMap<>();
    ledger.deadLetters().forEach(d -> out.merge(d.getReason(), 1L, Long::sum));
    return out;
  }

  static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Prints one {@code [delivery]} line of counts and timings into the test's output. */
  static void report(String format, Object... args) {
    System.out.printf("[delivery] " + format + "%n", args);
  }
}
