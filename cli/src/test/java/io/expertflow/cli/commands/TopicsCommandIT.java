package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicSpec;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** {@code expertflow topics plan|apply} against the real broker, each test on a fresh prefix. */
@WithLocalStack
class TopicsCommandIT {
  private static final int TOPICS = LogicalTopic.values().length;

  @Test
  void shouldCreateTheWholeCatalogueThenChangeNothingOnASecondApply(LocalStack stack)
      throws Exception {
    String prefix = freshPrefix();

    CliRun plan = run(stack, prefix, "topics", "plan");
    CliRun first = run(stack, prefix, "topics", "apply");
    CliRun second = run(stack, prefix, "topics", "apply");

    assertThat(plan.code()).as(plan.err()).isEqualTo(TopicsCommand.EXIT_PENDING);
    assertThat(plan.out())
        .contains("1 broker")
        .contains("replication factor 1 (one per broker, at most 3), min.insync.replicas 1")
        .containsPattern(prefix.replace(".", "\\.") + "requests +create +12 +1 +1 +delete +7d")
        .contains(TOPICS + " topics: " + TOPICS + " to create, 0 ok, 0 differ")
        .contains("plan only, nothing changed");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("created " + TOPICS + " topics")
        .contains("now: " + TOPICS + " topics: 0");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out())
        .contains(TOPICS + " topics: 0 to create, " + TOPICS + " ok, 0 differ")
        .contains("nothing to create: every catalogue topic exists; apply changed nothing")
        .doesNotContain("created");
    TopicCatalog want = TopicCatalog.builder().prefix(prefix).build();
    try (Admin admin = stack.newAdmin()) {
      for (TopicSpec spec : want.specs()) {
        assertThat(partitions(admin, spec.name())).as(spec.name()).isEqualTo(spec.partitions());
        Config config = config(admin, spec.name());
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        assertThat(config.get("cleanup.policy").value())
            .isEqualTo(spec.cleanupPolicy().configValue());
      }
    }
  }

  @Test
  void shouldReportATopicWithTheWrongPartitionCountAndLeaveItAsItIs(LocalStack stack)
      throws Exception {
    String prefix = freshPrefix();
    String requests = prefix + "requests";
    try (Admin admin = stack.newAdmin()) {
      admin.createTopics(List.of(new NewTopic(requests, 1, (short) 1))).all().get(30, SECONDS);
    }

    CliRun dryRun = run(stack, prefix, "topics", "apply", "--all-partitions", "2");
    boolean othersAfterDryRun = exists(stack, prefix + "responses");
    CliRun applied = run(stack, prefix, "topics", "apply", "--all-partitions", "2", "--yes");

    assertThat(dryRun.code()).as(dryRun.err()).isEqualTo(TopicsCommand.EXIT_DIFFERS);
    assertThat(dryRun.out())
        .containsPattern(requests.replace(".", "\\.") + " +differs +2 ")
        .contains("    partitions: have 1, want 2")
        .contains("dry run: 1 of the catalogue's topics exist already")
        .contains(
            "kafka-topics.sh --bootstrap-server "
                + stack.bootstrapServers()
                + " --alter --topic "
                + requests
                + " --partitions 2");
    assertThat(othersAfterDryRun).as("a dry run creates nothing").isFalse();
    assertThat(applied.code()).as(applied.err()).isEqualTo(TopicsCommand.EXIT_DIFFERS);
    assertThat(applied.out())
        .contains("created " + (TOPICS - 1) + " topics")
        .contains("now: " + TOPICS + " topics: 0 to create, " + (TOPICS - 1) + " ok, 1 differs")
        .contains("expertflow changes no existing topic");
    try (Admin admin = stack.newAdmin()) {
      assertThat(partitions(admin, requests)).as("left unchanged").isEqualTo(1);
      assertThat(partitions(admin, prefix + "responses")).isEqualTo(2);
    }
  }

  @Test
  void shouldForceADryRunOnAnEmptyCluster(LocalStack stack) throws Exception {
    String prefix = freshPrefix();

    CliRun dryRun = run(stack, prefix, "topics", "apply", "--dry-run", "--yes");

    assertThat(dryRun.code()).as(dryRun.err()).isEqualTo(TopicsCommand.EXIT_PENDING);
    assertThat(dryRun.out())
        .contains("dry run (--dry-run); nothing changed. It would create " + TOPICS);
    assertThat(exists(stack, prefix + "requests")).isFalse();
  }

  private static final TimeUnit SECONDS = TimeUnit.SECONDS;

  private static String freshPrefix() {
    return "topics-it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  private static int partitions(Admin admin, String topic) throws Exception {
    Map<String, TopicDescription> d =
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, SECONDS);
    return d.get(topic).partitions().size();
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(30, SECONDS).get(resource);
  }

  private static boolean exists(LocalStack stack, String topic) throws Exception {
    try (Admin admin = stack.newAdmin()) {
      return admin.listTopics().names().get(30, SECONDS).contains(topic);
    }
  }

  private static CliRun run(LocalStack stack, String prefix, String... args) {
    CliRun result = CliRun.run(args, "-b", stack.bootstrapServers(), "--topic-prefix", prefix);
    // the output, for a person reading the test's report
    System.out.printf(
        "$ expertflow %s%n%s%s(exit %d)%n%n",
        String.join(" ", args), result.out(), result.err(), result.code());
    return result;
  }
}
