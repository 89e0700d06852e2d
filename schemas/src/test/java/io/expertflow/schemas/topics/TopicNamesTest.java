package io.expertflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

  @Test
  void shouldNameEveryTopicAsTheCatalogDoes() {
    TopicCatalog catalog = TopicCatalog.builder().prefix("acme.").build();
    TopicNames names = TopicNames.of(catalog);

    for (LogicalTopic topic : LogicalTopic.values()) {
      assertThat(names.name(topic)).isEqualTo(catalog.name(topic));
    }
    assertThat(names.requestsInbound()).isEqualTo("acme.requests.inbound");
    assertThat(TopicNames.defaults().deadLetters()).isEqualTo("expertflow.dead-letters");
  }
}
