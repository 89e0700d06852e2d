package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.expertflow.model.DocumentInference;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.corpus.DocumentFiles;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow similar ID | --text FILE}: the nearest earlier documents. */
@Command(
    name = "similar",
    mixinStandardHelpOptions = true,
    description = {
      "List the earlier documents most like one: by request id (GET /v1/similar/{id} of"
          + " 'expertflow streams' with memory.enabled), or for a local text file, which is"
          + " embedded here with the model bundle the workers serve and searched by vector (POST"
          + " /v1/similar). Prints each neighbour's request id, cosine similarity, label (its"
          + " corrected label when feedback gave one) and whether it is a near-duplicate. Exit"
          + " code 3 when the memory does not hold the request.",
      "",
      "Examples:",
      "  expertflow similar 7f1c2a9e-0d1b-4c55-9a53-2b8e3f0c6a11",
      "  expertflow similar --text ticket.txt --tenant acme --k 5"
    })
public final class SimilarCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Parameters(paramLabel = "ID", description = "Request id of an answered document.")
    String requestId;

    @Option(
        names = "--text",
        paramLabel = "FILE",
        description =
            "A local UTF-8 text file (.html and .eml read as their readable text, as submit"
                + " sends them).")
    Path text;
  }

  @Option(
      names = "--k",
      defaultValue = "10",
      description = "Neighbours (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--tenant",
      description =
          "--text: the tenant whose documents to search (default: the token's; without a token,"
              + " '"
              + RequestOptions.DEFAULT_TENANT
              + "', the tenant submit sends by default).")
  String tenant;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "--text: model bundle to embed with (default: the most recently trained).")
  Path bundle;

  @Option(
      names = "--status-url",
      paramLabel = "URL",
      description = "Base URL of the streams app's API (env " + StatusCommand.STATUS_URL_ENV + ").")
  String statusUrl;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token (env " + StatusCommand.TOKEN_ENV + ").")
  String token;

  @Option(names = "--json", description = "Print the API's JSON as it is.")
  boolean json;

  @Option(
      names = "--timeout",
      defaultValue = "PT10S",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String base = StatusCommand.baseUrl(statusUrl);
    HttpRequest.Builder request;
    if (target.requestId != null) {
      request =
          HttpRequest.newBuilder(
                  URI.create(
                      base
                          + "/v1/similar/"
                          + URLEncoder.encode(target.requestId, StandardCharsets.UTF_8)
                              .replace("+", "%20")
                          + "?k="
                          + k))
              .GET();
    } else {
      ObjectNode body = new ObjectMapper().createObjectNode();
      if (tenant != null) {
        body.put("tenant", tenant);
      } else if (StatusCommand.token(token) == null) {
        // without a token the API knows no caller's tenant: search the one submit sends by default
        body.put("tenant", RequestOptions.DEFAULT_TENANT);
      }
      body.put("k", k);
      ArrayNode values = body.putArray("embedding");
      Embedded embedded;
      try {
        embedded = embed(target.text, err);
      } catch (IllegalArgumentException | IOException e) {
        err.println("similar: " + ErrorText.of(e));
        return 2;
      }
      for (float v : embedded.vector()) {
        values.add(v);
      }
      // only documents the same encoder embedded are compared with it
      body.put("encoder_id", embedded.encoderId());
      request =
          HttpRequest.newBuilder(URI.create(base + "/v1/similar"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    String bearer = StatusCommand.token(token);
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r;
    try {
      r =
          HttpClient.newBuilder()
              .connectTimeout(timeout)
              .build()
              .send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.printf(
          "similar: cannot reach %s (%s); is 'expertflow streams' running there with"
              + " memory.enabled? Pass --status-url or set %s%n",
          base, ErrorText.of(e), StatusCommand.STATUS_URL_ENV);
      return 1;
    }
    JsonNode answer = readJson(r.body());
    String error = answer.path("error").asText("");
    switch (r.statusCode()) {
      case 200 -> {
        if (json) {
          out.println(r.body().strip());
        } else {
          out.print(render(answer));
        }
        out.flush();
        return 0;
      }
      case 404 -> {
        if (error.isEmpty()) {
          err.println(
              "similar: the streams app serves no /v1/similar; start it with memory.enabled=true");
          return 1;
        }
        err.printf("%s: %s%n", target.requestId, error);
        return 3;
      }
      case 501 -> {
        err.printf("similar: %s%n", error.isEmpty() ? r.body() : error);
        return 1;
      }
      case 401 -> {
        err.printf(
            "similar: %s%n",
            bearer == null
                ? "the API needs a bearer token: pass --token or set " + StatusCommand.TOKEN_ENV
                : "the API refused the token (unknown or revoked)");
        return 1;
      }
      default -> {
        err.printf("similar: HTTP %d: %s%n", r.statusCode(), error.isEmpty() ? r.body() : error);
        return 1;
      }
    }
  }

  private static JsonNode readJson(String body) {
    try {
      return new ObjectMapper().readTree(body);
    } catch (IOException e) {
      return new ObjectMapper().createObjectNode();
    }
  }

  /** A file's document embedding and the id of the encoder that made it. */
  private record Embedded(float[] vector, String encoderId) {}

  /** The document embedding of a local file, as a worker on {@code --bundle} computes it. */
  private Embedded embed(Path file, PrintWriter err) throws IOException {
    if (!Files.isRegularFile(file)) {
      // before the bundle loads: a text typed where its file's path goes is the usual slip
      throw new IllegalArgumentException(
          "--text takes the path of a text file, and "
              + (Files.isDirectory(file) ? file + " is a folder" : "there is no file " + file)
              + "; save the text into a file and give its path");
    }
    ModelBundle model =
        ModelBundle.load(LatestBundle.resolve(bundle, TrainCommand.defaultCache(), err));
    byte[] bytes = Files.readAllBytes(file);
    Optional<String> notText = DocumentFiles.notText(bytes);
    if (notText.isPresent()) {
      throw new IllegalArgumentException(
          file + " is " + DocumentFiles.notTextReason(notText.get()));
    }
    // HTML and mail reduced to what a reader sees, as submit sends them to the workers
    DocumentFiles.Text decoded = DocumentFiles.text(file, bytes);
    if (decoded.text().isBlank()) {
      throw new IllegalArgumentException(file + " holds no text");
    }
    try (Engine engine =
            Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.parse("cpu")));
        EncoderSession encoder = model.openEncoder(engine)) {
      var tokens =
          DocumentInference.tokenize(
              Tokenizations.forBundle(model, AnalyzeCommand.chunking(model)),
              List.of(decoded.text()));
      return new Embedded(
          new DocumentInference(encoder, null)
              .embedDocuments(tokens, 32, DocumentInference.ChunkOrder.IN_ORDER, b -> {})[0],
          model.manifest().encoderId());
    }
  }

  static String render(JsonNode answer) {
    StringBuilder b = new StringBuilder();
    if (answer.has("request_id")) {
      b.append(answer.path("request_id").asText())
          .append("  (")
          .append(label(answer))
          .append(", tenant ")
          .append(answer.path("tenant").asText())
          .append(")\n");
    }
    JsonNode near = answer.path("neighbours");
    if (!near.isArray() || near.isEmpty()) {
      b.append("  no earlier document of this tenant in the memory\n");
      return b.toString();
    }
    for (JsonNode n : near) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %.4f  %-20s %s%s%n",
              n.path("similarity").asDouble(),
              label(n),
              n.path("request_id").asText(),
              n.path("near_duplicate").asBoolean() ? "  near-duplicate" : ""));
    }
    return b.toString();
  }

  private static String label(JsonNode n) {
    String corrected = n.path("corrected_label").asText("");
    return corrected.isEmpty() || n.path("corrected_label").isNull()
        ? n.path("predicted_label").asText()
        : corrected + " (corrected)";
  }
}
