package io.expertflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicSpec;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

@WithLocalStack
class LocalStackExtensionIT {

  private static TopicCatalog firstInjected;

  @Test
  void shouldShareOneBrokerPerJvmAndInjectIt(LocalStack stack) {
    assertThat(LocalStack.startsInThisJvm()).isEqualTo(1);
    assertThat(stack).isSameAs(LocalStack.current());
    assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(stack.broker().isRunning()).isTrue();
  }

  @Test
  void shouldProvisionTheDefaultTopicsUnderTheDefaultPrefix(LocalStack stack) throws Exception {
    try (Admin admin = stack.newAdmin()) {
      Set<String> present = admin.listTopics().names().get();

      assertThat(present)
          .containsAll(stack.topics().specs().stream().map(TopicSpec::name).toList())
          .contains("expertflow.requests.inbound");
    }
  }

  @Test
  void shouldGiveEachTestClassItsOwnProvisionedTopics(LocalStack stack, TopicCatalog topics)
      throws Exception {
    remember(topics);

    assertThat(topics).isSameAs(firstInjected);
    assertThat(topics.prefix())
        .isNotEqualTo(stack.topics().prefix())
        .contains("LocalStackExtensionIT");
    try (Admin admin = stack.newAdmin()) {
      assertThat(admin.listTopics().names().get())
          .contains(topics.name(LogicalTopic.REQUESTS), topics.name(LogicalTopic.MODEL_VERSIONS));
    }
  }

  @Test
  void shouldInjectTheSameIsolatedTopicsIntoEveryMethodOfTheClass(TopicCatalog topics) {
    remember(topics);

    assertThat(topics).isSameAs(firstInjected);
  }

  @Test
  void shouldNeverHandOutTheSamePrefixTwice(LocalStack stack) {
    List<String> prefixes =
        List.of(stack.isolatedTopics("twice").prefix(), stack.isolatedTopics("twice").prefix());

    assertThat(prefixes).doesNotHaveDuplicates();
  }

  private static synchronized void remember(TopicCatalog topics) {
    if (firstInjected == null) {
      firstInjected = topics;
    }
  }
}
