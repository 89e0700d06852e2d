package io.expertflow.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asks the streams app's status API ({@code GET /v1/requests/{id}}) about a sample of the run's
 * request ids, after the ledger was read: each should say ANSWERED (or DEAD_LETTERED for a dead
 * letter). The status store follows the topics, so the sample is asked again, for at most {@link
 * #PATIENCE}, until every id agrees.
 */
final class StatusSample {
  static final Duration PATIENCE = Duration.ofSeconds(60);

  /** What the API said: states counted (404 as NOT_FOUND, failures as ERROR), and agreement. */
  record Result(int asked, int agreeing, Map<String, Integer> states) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String base;

  StatusSample(int port) {
    this.base = "http://127.0.0.1:" + port + "/v1/requests/";
  }

  /** Asks about up to {@code size} of {@code ids}, spread evenly over them. */
  Result ask(List<String> ids, int size) throws InterruptedException {
    List<String> sample = new ArrayList<>();
    int step = Math.max(1, ids.size() / Math.max(1, size));
    for (int i = 0; i < ids.size() && sample.size() < size; i += step) {
      sample.add(ids.get(i));
    }
    long until = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Map<String, Integer> states = new TreeMap<>();
      int agreeing = 0;
      for (String id : sample) {
        String state = state(id);
        states.merge(state, 1, Integer::sum);
        if (state.equals("ANSWERED") || state.equals("DEAD_LETTERED")) {
          agreeing++;
        }
      }
      if (agreeing == sample.size() || System.nanoTime() > until) {
        return new Result(sample.size(), agreeing, states);
      }
      Thread.sleep(2_000);
    }
  }

  private String state(String id) throws InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + id)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return "NOT_FOUND";
      }
      if (r.statusCode() != 200) {
        return "HTTP_" + r.statusCode();
      }
      JsonNode state = json.readTree(r.body()).path("state");
      return state.isTextual() ? state.asText() : "NO_STATE";
    } catch (IOException e) {
      return "ERROR";
    }
  }
}
