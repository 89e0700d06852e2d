package io.expertflow.streams.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.streams.status.JsonSerde;
import org.junit.jupiter.api.Test;

class VectorQueryTest {
  private static JsonNode json(String body) throws Exception {
    return JsonSerde.MAPPER.readTree(body);
  }

  @Test
  void shouldReadTenantEncoderVectorAndKAndTakeTheCallersTenantWhenNoneIsGiven() throws Exception {
    VectorQuery named =
        VectorQuery.parse(
            json("{\"tenant\":\"acme\",\"encoder_id\":\"e5@01\",\"embedding\":[0.6,0.8],\"k\":3}"),
            null,
            10);
    VectorQuery byToken = VectorQuery.parse(json("{\"embedding\":[1]}"), "globex", 10);

    assertThat(named.tenant()).isEqualTo("acme");
    assertThat(named.encoder()).isEqualTo("e5@01");
    assertThat(named.embedding()).containsExactly(0.6f, 0.8f);
    assertThat(named.k()).isEqualTo(3);
    assertThat(byToken.tenant()).isEqualTo("globex");
    assertThat(byToken.encoder()).as("no encoder named: every encoder's documents").isNull();
    assertThat(byToken.k()).isEqualTo(10);
  }

  @Test
  void shouldRefuseWhatItCannotAnswerWithTheStatusAndWhy() {
    assertRefused("{\"embedding\":[1]}", null, 400, "give the tenant");
    assertRefused("{\"tenant\":\"acme\",\"embedding\":[1]}", "globex", 403, "tenant acme");
    assertRefused("{\"tenant\":\"acme\"}", null, 400, "give the embedding");
    assertRefused("{\"tenant\":\"acme\",\"embedding\":[1,\"x\"]}", null, 400, "embedding[1]");
    assertRefused(
        "{\"tenant\":\"acme\",\"embedding\":[1],\"encoder_id\":5}", null, 400, "encoder_id");
    assertRefused(
        "{\"tenant\":\"acme\",\"embedding\":[1],\"encoder_id\":\"\"}", null, 400, "encoder_id");
    assertRefused("{\"tenant\":\"acme\",\"embedding\":[1],\"k\":2.5}", null, 400, "whole number");
    assertRefused(
        "{\"tenant\":\"acme\",\"embedding\":[1],\"k\":101}", null, 400, "between 1 and 100");
  }

  private static void assertRefused(String body, String caller, int status, String says) {
    assertThatThrownBy(() -> VectorQuery.parse(json(body), caller, 10))
        .isInstanceOfSatisfying(
            VectorQuery.Refused.class, e -> assertThat(e.status).isEqualTo(status))
        .hasMessageContaining(says);
  }
}
