package io.expertflow.model.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.expertflow.model.corpus.LabeledDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The documents of a shift model's held-out labels, by id: the {@code traffic} pool that a demo
 * sends as a week of requests and feedback, and the {@code evaluation} pool that measures what the
 * update learned and is never shown to it. Written by training as {@value #FILE} beside the model;
 * the ids are those of {@link LabeledDocument#id()} in the training corpora, so the texts come from
 * the same {@link CorpusSource}. Immutable.
 *
 * @param heldOutLabels the labels left out of head training and out of its label set (a weekly
 *     update adds them from feedback)
 * @param traffic the traffic pool, sorted by id
 * @param evaluation the evaluation pool, sorted by id
 */
public record ShiftPools(
    List<String> heldOutLabels, List<PoolDocument> traffic, List<PoolDocument> evaluation) {
  /** The file training writes into its output folder. */
  public static final String FILE = "shift-pools.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ShiftPools {
    heldOutLabels = List.copyOf(heldOutLabels);
    traffic = List.copyOf(traffic);
    evaluation = List.copyOf(evaluation);
  }

  /**
   * One document of a pool.
   *
   * @param id the corpus document id
   * @param label its true label (one of the held-out labels)
   */
  public record PoolDocument(String id, String label) {
    public PoolDocument {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(label, "label");
    }
  }

  /** The pools of a split made with held-out labels. */
  static ShiftPools of(List<String> heldOutLabels, Map<Split, List<LabeledDocument>> split) {
    return new ShiftPools(
        heldOutLabels, ids(split.get(Split.SHIFT_TRAFFIC)), ids(split.get(Split.SHIFT_EVALUATION)));
  }

  /** Whether training held any label out (else both pools are empty). */
  public boolean isEmpty() {
    return heldOutLabels.isEmpty();
  }

  /** Writes the pools as JSON. */
  public void write(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("held_out_labels", heldOutLabels);
    root.put("traffic", traffic);
    root.put("evaluation", evaluation);
    MAPPER.writeValue(file.toFile(), root);
  }

  /**
   * Reads pools written by {@link #write}.
   *
   * @throws IOException if the file is missing or is not such a file; the message names the file
   */
  public static ShiftPools read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "no shift pools at " + file + ": train with --hold-out-label to write them");
    }
    JsonNode root = MAPPER.readTree(file.toFile());
    JsonNode labels = root.get("held_out_labels");
    if (labels == null || !labels.isArray()) {
      throw new IOException(file + " is not a shift pools file: 'held_out_labels' is missing");
    }
    List<String> held = new ArrayList<>();
    labels.forEach(l -> held.add(l.asText()));
    return new ShiftPools(held, pool(root, "traffic", file), pool(root, "evaluation", file));
  }

  private static List<PoolDocument> pool(JsonNode root, String name, Path file) throws IOException {
    JsonNode array = root.get(name);
    if (array == null || !array.isArray()) {
      throw new IOException(file + " is not a shift pools file: '" + name + "' is missing");
    }
    List<PoolDocument> docs = new ArrayList<>();
    for (JsonNode d : array) {
      if (!d.hasNonNull("id") || !d.hasNonNull("label")) {
        throw new IOException(file + ": a document of '" + name + "' lacks its id or label");
      }
      docs.add(new PoolDocument(d.get("id").asText(), d.get("label").asText()));
    }
    return docs;
  }

  private static List<PoolDocument> ids(List<LabeledDocument> docs) {
    return docs.stream().map(d -> new PoolDocument(d.id(), d.label())).toList();
  }
}
