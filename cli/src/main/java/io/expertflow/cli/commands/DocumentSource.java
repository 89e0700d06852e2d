package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.corpus.DataFields;
import io.expertflow.model.corpus.DataFormat;
import io.expertflow.model.corpus.DataProblem;
import io.expertflow.model.corpus.DataRecord;
import io.expertflow.model.corpus.DataVisitor;
import io.expertflow.model.corpus.DelimitedData;
import io.expertflow.model.corpus.DocumentFiles;
import io.expertflow.model.corpus.FolderData;
import io.expertflow.model.corpus.JsonLine;
import io.expertflow.schemas.errors.ErrorText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Turns what a user hands to {@code submit} and {@code job submit} -- text files, folders,
 * JSON-lines files, CSV/TSV files, standard input -- into {@link InferenceRequest}s. A JSON line
 * holds {@code text} and optionally {@code request_id}, {@code document_id} (default {@code
 * file:line}), {@code tenant}, {@code priority}, {@code task}, {@code deadline} (epoch ms) and
 * {@code attributes}.
 */
final class DocumentSource {

  private final RequestDefaults defaults;
  private final Consumer<String> warnings;

  DocumentSource(RequestDefaults defaults, Consumer<String> warnings) {
    this.defaults = defaults;
    this.warnings = warnings;
  }

  /** Defaults for fields the input does not set. */
  record RequestDefaults(String tenant, int priority, String task, Long deadlineInMs) {}

  void fromPath(Path path, Consumer<InferenceRequest> sink) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> visible = FolderData.visibleFiles(path);
      if (visible.isEmpty()) {
        warnings.accept("no files under " + path + " (hidden files and folders are skipped)");
      }
      List<String> notText = new ArrayList<>();
      for (Path f : visible) {
        fromFile(path, f, sink)
            .ifPresent(what -> notText.add(path.relativize(f) + " (" + what + ")"));
      }
      if (!notText.isEmpty()) {
        warnings.accept(
            "skipped "
                + notText.size()
                + " file(s) under "
                + path
                + " that are not text: "
                + String.join(", ", notText.subList(0, Math.min(5, notText.size())))
                + (notText.size() > 5 ? ", ..." : "")
                + "; extract their text into .txt files to analyse them");
      }
    } else if (Files.isRegularFile(path)) {
      Optional<String> notText =
          fromFile(path.getParent() == null ? Path.of(".") : path.getParent(), path, sink);
      if (notText.isPresent()) {
        throw new IllegalArgumentException(
            path + " is " + DocumentFiles.notTextReason(notText.get()));
      }
    } else {
      throw new IllegalArgumentException("no such file or folder: " + path);
    }
  }

  /**
   * Sends the documents of one file; what the file holds instead, without sending anything, when it
   * is not text.
   */
  private Optional<String> fromFile(Path root, Path file, Consumer<InferenceRequest> sink)
      throws IOException {
    // named as train --data names them: a .json file is JSON Lines too
    Optional<DataFormat> format = DataFormat.ofFileName(file);
    if (format.isPresent() && format.get() == DataFormat.JSONL) {
      try (InputStream in = Files.newInputStream(file)) {
        fromJsonLines(in, file.toString(), sink);
      }
      return Optional.empty();
    }
    if (format.isPresent()) {
      fromDelimited(file, format.get().delimiter(), sink);
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    Optional<String> notText = DocumentFiles.notText(bytes);
    if (notText.isPresent()) {
      return notText;
    }
    // HTML and mail reduced to what a reader sees, as train --data reads them
    DocumentFiles.Text text = DocumentFiles.text(file, bytes);
    if (!text.valid()) {
      warnings.accept(
          file + " is not valid UTF-8; invalid bytes were replaced by U+FFFD before sending");
    }
    String documentId = root.relativize(file).toString().replace('\\', '/');
    sink.accept(request(null, documentId, text.text(), null, Map.of("file", documentId)));
    return Optional.empty();
  }

  /**
   * CSV or TSV with a header, read as {@code train --data} reads it: column {@value
   * DataFields#DEFAULT_TEXT} is the text, {@value DataFields#DEFAULT_ID} (optional) the document
   * id, else {@code file:line}. A malformed record stops the submission with its line; a record
   * with an empty text is sent, as an empty file is, and dead-lettered {@code EMPTY_TEXT} by
   * intake.
   */
  private void fromDelimited(Path file, char delimiter, Consumer<InferenceRequest> sink) {
    DelimitedData.readUnlabelled(
        file,
        delimiter,
        DataFields.DEFAULT_TEXT,
        DataFields.DEFAULT_ID,
        new DataVisitor() {
          @Override
          public void record(DataRecord record) {
            // an empty text is sent like an empty file: intake dead-letters it EMPTY_TEXT, named
            sink.accept(
                request(null, record.id(), record.text(), null, Map.of("file", file.toString())));
          }

          @Override
          public void problem(DataProblem problem) {
            throw new IllegalArgumentException(problem.where() + ": " + problem.detail());
          }
        });
  }

  void fromJsonLines(InputStream in, String origin, Consumer<InferenceRequest> sink)
      throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JsonLine.parse(line);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            origin + " line " + number + " is not JSON: " + ErrorText.of(e), e);
      }
      if (!node.isObject()) {
        throw new IllegalArgumentException(
            origin + " line " + number + " is not a JSON object (" + kind(node) + ")");
      }
      if (!node.hasNonNull("text")) {
        throw new IllegalArgumentException(origin + " line " + number + " has no \"text\" field");
      }
      checkTypes(node, origin + " line " + number);
      Map<String, String> attributes = new HashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.path("attributes").fields();
      it.forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
      String documentId = text(node, "document_id");
      InferenceRequest r =
          request(
              text(node, "request_id"),
              documentId != null ? documentId : origin + ":" + number,
              node.get("text").asText(),
              node,
              attributes);
      sink.accept(r);
    }
  }

  /**
   * Refuses a field of a type that would be read as something else: a text that is not a string (an
   * object's text is empty), a priority or deadline that is not a whole number (read as 0: the
   * lowest lane, or a deadline long past), ids, tenant and task that are not plain values, and
   * attributes that are not an object of plain values.
   *
   * @throws IllegalArgumentException naming {@code where}, the field and what it holds
   */
  static void checkTypes(JsonNode node, String where) {
    require(node, "text", where, JsonNode::isTextual, "a string");
    for (String field : List.of("request_id", "document_id", "tenant", "task")) {
      require(node, field, where, v -> v.isTextual() || v.isIntegralNumber(), "a string");
    }
    require(
        node,
        "priority",
        where,
        v -> v.isIntegralNumber() && v.canConvertToInt(),
        "a whole number");
    require(
        node,
        "deadline",
        where,
        v -> v.isIntegralNumber() && v.canConvertToLong(),
        "a whole number (epoch milliseconds)");
    require(node, "attributes", where, JsonNode::isObject, "an object of names and values");
    JsonNode attributes = node.path("attributes");
    attributes
        .fieldNames()
        .forEachRemaining(
            name ->
                require(
                    attributes,
                    name,
                    where + ", attribute",
                    JsonNode::isValueNode,
                    "a string, number or true/false"));
  }

  private static void require(
      JsonNode node, String field, String where, Predicate<JsonNode> ok, String expected) {
    JsonNode value = node.get(field);
    if (value != null && !value.isNull() && !ok.test(value)) {
      throw new IllegalArgumentException(
          where + ": \"" + field + "\" must be " + expected + ", not " + kind(value));
    }
  }

  /** What a JSON value is, for a message (never the value itself: it may be document text). */
  static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case BOOLEAN -> "true/false";
      case NUMBER -> value.isIntegralNumber() ? "a number out of range" : "a decimal number";
      default -> value.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  private InferenceRequest request(
      String requestId, String documentId, String text, JsonNode node, Map<String, String> attrs) {
    Instant now = Instant.now();
    String id = requestId != null ? requestId : UUID.randomUUID().toString();
    Long deadline =
        node != null && node.hasNonNull("deadline")
            ? Long.valueOf(node.get("deadline").asLong())
            : defaults.deadlineInMs() == null ? null : now.toEpochMilli() + defaults.deadlineInMs();
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setDocumentId(documentId != null ? documentId : id)
        .setTenant(
            node != null && node.hasNonNull("tenant")
                ? node.get("tenant").asText()
                : defaults.tenant())
        .setText(text)
        .setTask(
            node != null && node.hasNonNull("task") ? node.get("task").asText() : defaults.task())
        .setPriority(
            node != null && node.hasNonNull("priority")
                ? node.get("priority").asInt()
                : defaults.priority())
        .setDeadline(deadline == null ? null : Instant.ofEpochMilli(deadline))
        .setSubmittedAt(now)
        .setAttributes(Map.copyOf(attrs))
        .build();
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  static List<Path> checkReadable(List<Path> paths) {
    for (Path p : paths) {
      if (!p.toString().equals("-") && !Files.exists(p)) {
        throw new IllegalArgumentException("no such file or folder: " + p);
      }
    }
    return paths;
  }
}
