package io.expertflow.schemas.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeMetricsProbesAndSayWhatAnyOtherPathIsNot() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (OpsServer ops = new OpsServer(0, () -> "up 1\n", ready::get)) {
      String base = "http://127.0.0.1:" + ops.port();

      assertThat(get(base + "/metrics").body()).isEqualTo("up 1\n");
      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(base + "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> other = get(base + "/metric");
      assertThat(other.statusCode()).isEqualTo(404);
      assertThat(other.body())
          .isEqualTo("no such path /metric: this port serves /metrics, /healthz and /readyz\n");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
