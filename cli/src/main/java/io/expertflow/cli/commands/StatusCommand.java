package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow status ID...}: a request's state from the streams app's status API. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show where requests are: ACCEPTED (validated, waiting for a worker), ANSWERED (with the"
          + " labels, the model version, the compliance decision and, where the document memory"
          + " is on, what it did to the answer) or DEAD_LETTERED (with the"
          + " reason), from the request-status API of 'expertflow streams' (GET"
          + " /v1/requests/{id}). Exit code 0 when every request is known, 3 when one is not.",
      "",
      "Examples:",
      "  expertflow status 7f1c2a9e-0d1b-4c55-9a53-2b8e3f0c6a11",
      "  expertflow status --status-url http://streams-0.streams:8090 r1 r2 --json"
    })
public final class StatusCommand implements Callable<Integer> {
  /** Where the status API is when neither the flag nor the environment says. */
  public static final String DEFAULT_STATUS_URL = "http://localhost:8090";

  /** Environment variable naming the status API. */
  public static final String STATUS_URL_ENV = "EXPERTFLOW_STATUS_URL";

  /** Environment variable holding the bearer token for an API that authenticates callers. */
  public static final String TOKEN_ENV = "EXPERTFLOW_TOKEN";

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "Request ids to look up.")
  List<String> ids = new ArrayList<>();

  @Option(
      names = "--status-url",
      paramLabel = "URL",
      description =
          "Base URL of the request-status API (env "
              + STATUS_URL_ENV
              + "; default: "
              + DEFAULT_STATUS_URL
              + ").")
  String statusUrl;

  @Option(names = "--json", description = "Print the API's JSON as it is, one line per request.")
  boolean json;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token, when the API authenticates callers (env " + TOKEN_ENV + ").")
  String token;

  @Option(
      names = "--timeout",
      defaultValue = "PT10S",
      description = "Give up on one request after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String base = baseUrl(statusUrl);
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    String bearer = token(token);
    int rc = 0;
    for (String id : ids) {
      URI uri = URI.create(base + "/v1/requests/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
      HttpResponse<String> r;
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (bearer != null) {
          request.header("Authorization", "Bearer " + bearer);
        }
        r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        err.printf(
            "status: cannot reach %s (%s); is 'expertflow streams' running there? Pass"
                + " --status-url or set %s%n",
            base, ErrorText.of(e), STATUS_URL_ENV);
        return 1;
      }
      if (r.statusCode() == 401) {
        err.printf(
            "status: %s%n",
            bearer == null
                ? "the API needs a bearer token: pass --token or set " + TOKEN_ENV
                : "the API refused the token (unknown or revoked)");
        return 1;
      }
      if (r.statusCode() == 404) {
        err.printf("%s: unknown request (never accepted, or older than the status store)%n", id);
        rc = 3;
      } else if (r.statusCode() == 503) {
        err.printf(
            "%s: the status store is not ready (rebalancing or restoring); retry in %s s%n",
            id, r.headers().firstValue("Retry-After").orElse("a few"));
        rc = Math.max(rc, 1);
      } else if (r.statusCode() != 200) {
        err.printf("%s: the status API answered HTTP %d: %s%n", id, r.statusCode(), r.body());
        rc = Math.max(rc, 1);
      } else if (json) {
        out.println(r.body().strip());
      } else {
        out.print(render(new ObjectMapper().readTree(r.body())));
      }
    }
    out.flush();
    return rc;
  }

  /** The API's base URL: the flag, else the environment, else the default. */
  /** The bearer token: the flag, else {@value #TOKEN_ENV}, else null (no authentication). */
  static String token(String flag) {
    String token = flag;
    if (token == null || token.isBlank()) {
      token = System.getenv(TOKEN_ENV);
    }
    return token == null || token.isBlank() ? null : token.strip();
  }

  static String baseUrl(String flag) {
    String url = flag;
    if (url == null || url.isBlank()) {
      url = System.getenv(STATUS_URL_ENV);
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_STATUS_URL;
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A readable block of one status document. */
  static String render(JsonNode s) {
    StringBuilder b = new StringBuilder();
    b.append(s.path("requestId").asText()).append('\n');
    line(b, "state", s.path("state"));
    line(b, "document", s.path("documentId"));
    line(b, "tenant", s.path("tenant"));
    line(b, "response", s.path("responseStatus"));
    JsonNode labels = s.path("labels");
    if (labels.isArray() && !labels.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode l : labels) {
        parts.add(
            String.format(
                java.util.Locale.ROOT,
                "%s %.2f",
                l.path("label").asText(),
                l.path("score").asDouble()));
      }
      b.append(String.format("  %-12s %s%n", "labels", String.join(", ", parts)));
    }
    line(b, "model", s.path("modelVersion"));
    line(b, "encoder", s.path("encoderId"));
    JsonNode memory = s.path("memory");
    if (memory.isObject()) {
      b.append(String.format("  %-12s %s%n", "memory", memory(memory)));
    }
    line(b, "decision", s.path("decision"));
    line(b, "dead letter", s.path("deadLetterReason"));
    line(b, "detail", s.path("deadLetterDetail"));
    if (s.path("duplicatesRejected").asInt(0) > 0) {
      line(b, "duplicates", s.path("duplicatesRejected"));
    }
    return b.toString();
  }

  /**
   * What the document memory did, in words: the nearest earlier document (and whether it was a
   * near-duplicate, with its label and where that label came from), how many voted, and the head's
   * own label when the vote changed it.
   */
  private static String memory(JsonNode m) {
    JsonNode nearest = m.path("nearest");
    if (!nearest.isObject()) {
      return "no earlier document of this tenant";
    }
    StringBuilder b =
        new StringBuilder(m.path("nearDuplicate").asBoolean() ? "near-duplicate of " : "nearest ")
            .append(nearest.path("requestId").asText())
            .append(
                String.format(
                    java.util.Locale.ROOT,
                    " (%.4f, %s %s)",
                    nearest.path("similarity").asDouble(),
                    nearest.path("corrected").asBoolean() ? "corrected to" : "answered",
                    nearest.path("label").asText("?")));
    int voters = m.path("voters").asInt(0);
    b.append(voters == 0 ? "; no vote" : "; " + voters + (voters == 1 ? " vote" : " votes"));
    JsonNode head = m.path("headLabel");
    if (head.isTextual()) {
      b.append("; the head alone said ").append(head.asText());
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String name, JsonNode v) {
    if (!v.isMissingNode() && !v.isNull()) {
      b.append(String.format("  %-12s %s%n", name, v.asText()));
    }
  }
}
