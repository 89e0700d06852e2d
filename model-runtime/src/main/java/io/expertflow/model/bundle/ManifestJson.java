package io.expertflow.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.expertflow.model.engine.EncoderSignature;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.model.engine.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes {@code manifest.json}. Reading validates every field and names the one that is
 * wrong ({@code head.experts must be a positive integer, was "x"}). Stateless and thread-safe.
 *
 * <pre>{@code
 * { "format": 1, "name": "...", "version": "...", "created": "2026-01-01T00:00:00Z",
 *   "encoder": { "variant": "minilm-l6-v2-int8", "maxSequenceLength": 512,
 *                "inputIds": "input_ids", "attentionMask": "attention_mask",
 *                "tokenTypeIds": "token_type_ids", "output": "last_hidden_state",
 *                "pooling": "mean", "prefix": "" },
 *   "head": { "hidden": 384, "experts": 128, "topK": 2, "expertHidden": 32, "domains": 32,
 *             "labels": 17, "input": "embedding", "probabilities": "probabilities",
 *             "expertIndices": "expert_indices", "gateWeights": "gate_weights",
 *             "domain": "domain" },
 *   "training": { "maxChunksPerDocument": 32 },
 *   "files": { "encoder.onnx": "<sha256>", ... } }
 * }</pre>
 *
 * {@code training} is optional: a bundle that does not say how its head was trained is served as it
 * is.
 */
public final class ManifestJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestJson() {}

  /** Writes the manifest as pretty-printed JSON. */
  public static void write(BundleManifest m, Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", BundleManifest.FORMAT);
    root.put("name", m.name());
    root.put("version", m.version());
    root.put("created", m.created().toString());
    ObjectNode encoder = root.putObject("encoder");
    encoder.put("variant", m.encoderVariant());
    encoder.put("maxSequenceLength", m.encoder().maxSequenceLength());
    encoder.put("inputIds", m.encoder().inputIds());
    encoder.put("attentionMask", m.encoder().attentionMask());
    encoder.put("tokenTypeIds", m.encoder().tokenTypeIds());
    encoder.put("output", m.encoder().lastHiddenState());
    encoder.put("pooling", m.encoder().pooling().id());
    encoder.put("prefix", m.encoder().prefix());
    ObjectNode head = root.putObject("head");
    head.put("hidden", m.hidden());
    head.put("experts", m.experts());
    head.put("topK", m.topK());
    head.put("expertHidden", m.expertHidden());
    head.put("domains", m.domains());
    head.put("labels", m.labels());
    head.put("input", m.head().embedding());
    head.put("probabilities", m.head().probabilities());
    head.put("expertIndices", m.head().expertIndices());
    head.put("gateWeights", m.head().gateWeights());
    head.put("domain", m.head().domain());
    if (m.trainedMaxChunks() != null) {
      root.putObject("training").put("maxChunksPerDocument", m.trainedMaxChunks());
    }
    ObjectNode files = root.putObject("files");
    new TreeMap<>(m.files()).forEach(files::put);
    MAPPER.writeValue(file.toFile(), root);
  }

  /** Reads and validates a manifest. */
  public static BundleManifest read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelBundleException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelBundleException(file + " must hold a JSON object");
    }
    Fields f = new Fields(file);
    int format = f.positive(root, "format");
    if (format != BundleManifest.FORMAT) {
      throw f.bad("format", "must be " + BundleManifest.FORMAT + " (this build's layout)", format);
    }
    JsonNode enc = f.object(root, "encoder");
    JsonNode head = f.object(root, "head");
    EncoderSignature encoder =
        new EncoderSignature(
            f.text(enc, "encoder.inputIds"),
            f.text(enc, "encoder.attentionMask"),
            f.text(enc, "encoder.tokenTypeIds"),
            f.text(enc, "encoder.output"),
            f.positive(enc, "encoder.maxSequenceLength"),
            pooling(f, enc),
            enc.path("prefix").asText(""));
    HeadSignature signature =
        new HeadSignature(
            f.text(head, "head.input"),
            f.text(head, "head.probabilities"),
            f.text(head, "head.expertIndices"),
            f.text(head, "head.gateWeights"),
            f.text(head, "head.domain"));
    Map<String, String> files = new TreeMap<>();
    JsonNode fileNode = f.object(root, "files");
    for (Iterator<String> it = fileNode.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      String sha = f.text(fileNode, "files." + name);
      if (!sha.matches("[0-9a-f]{64}")) {
        throw f.bad("files." + name, "must be a lower-case hex SHA-256 (64 characters)", sha);
      }
      files.put(name, sha);
    }
    return new BundleManifest(
        f.text(root, "name"),
        f.text(root, "version"),
        f.instant(root, "created"),
        f.text(enc, "encoder.variant"),
        f.positive(head, "head.hidden"),
        f.positive(head, "head.experts"),
        f.positive(head, "head.topK"),
        f.positive(head, "head.expertHidden"),
        f.positive(head, "head.domains"),
        f.positive(head, "head.labels"),
        encoder,
        signature,
        files,
        root.hasNonNull("training")
            ? f.positive(f.object(root, "training"), "training.maxChunksPerDocument")
            : null);
  }

  /** Typed field access with messages that name the file and the dotted field path. */
  private record Fields(Path file) {
    JsonNode field(JsonNode parent, String path) {
      // file names hold dots themselves, so a files entry's key is everything after "files."
      String key =
          path.startsWith("files.")
              ? path.substring("files.".length())
              : path.substring(path.lastIndexOf('.') + 1);
      JsonNode node = parent.get(key);
      if (node == null || node.isNull()) {
        throw new ModelBundleException(file + ": field '" + path + "' is missing");
      }
      return node;
    }

    JsonNode object(JsonNode parent, String path) {
      JsonNode node = field(parent, path);
      if (!node.isObject()) {
        throw bad(path, "must be a JSON object", node);
      }
      return node;
    }

    String text(JsonNode parent, String path) {
      JsonNode node = field(parent, path);
      if (!node.isTextual() || node.asText().isBlank()) {
        throw bad(path, "must be a non-empty string", node);
      }
      return node.asText();
    }

    int positive(JsonNode parent, String path) {
      JsonNode node = field(parent, path);
      if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
        throw bad(path, "must be a positive integer", node);
      }
      return node.asInt();
    }

    Instant instant(JsonNode parent, String path) {
      String text = text(parent, path);
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw bad(path, "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z", text);
      }
    }

    ModelBundleException bad(String path, String rule, Object value) {
      return new ModelBundleException(file + ": field '" + path + "' " + rule + ", was " + value);
    }
  }

  /** {@code encoder.pooling}; bundles written before it existed were all mean-pooled. */
  private static Pooling pooling(Fields f, JsonNode enc) {
    JsonNode p = enc.get("pooling");
    if (p == null || p.isNull()) {
      return Pooling.MEAN;
    }
    try {
      return Pooling.parse(p.asText());
    } catch (IllegalArgumentException e) {
      throw f.bad("encoder.pooling", "must be mean or cls", p.asText());
    }
  }
}
