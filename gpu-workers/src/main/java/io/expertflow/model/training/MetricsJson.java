package io.expertflow.model.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.expertflow.operators.moe.EpochReport;
import io.expertflow.operators.moe.ExpertLoad;
import io.expertflow.operators.moe.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's figures as {@code metrics.json}. Stateless. */
final class MetricsJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MetricsJson() {}

  static void write(
      Path file,
      TrainingReport report,
      ClassificationMetrics test,
      TrainingResult training,
      TrainingConfig config,
      Map<String, Object> counts,
      String embeddingKey)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> heldOut = new LinkedHashMap<>();
    heldOut.put("accuracy", report.accuracy());
    heldOut.put("genre_accuracy", report.genreAccuracy());
    heldOut.put("genre_macro_f1", report.genreMacroF1());
    heldOut.put("spam_precision", report.spamPrecision());
    heldOut.put("spam_recall", report.spamRecall());
    heldOut.put("spam_f1", report.spamF1());
    Map<String, Object> perLabel = new LinkedHashMap<>();
    for (String label : test.labels()) {
      perLabel.put(
          label,
          Map.of(
              "support", test.support(java.util.Set.of(label)),
              "precision", test.precision(label),
              "recall", test.recall(label),
              "f1", test.f1(label)));
    }
    heldOut.put("per_label", perLabel);
    heldOut.put("confusion", test.confusion());
    root.put("test", heldOut);
    root.put(
        "expert_load", Map.of("test", load(report.testLoad()), "train", load(report.trainLoad())));
    Map<String, Object> train = new LinkedHashMap<>();
    train.put("best_epoch", report.bestEpoch());
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (EpochReport e : training.history()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", e.epoch());
      row.put("train_loss", e.trainLoss());
      row.put("train_accuracy", e.trainAccuracy());
      row.put("validation_accuracy", e.validationAccuracy());
      row.put("dead_experts", e.deadExperts());
      row.put("max_share", e.maxShare());
      epochs.add(row);
    }
    train.put("epochs", epochs);
    root.put("training", train);
    root.put("counts", counts);
    root.put("timings_ms", new java.util.TreeMap<>(report.timingsMillis()));
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("embedding_key", embeddingKey);
    setup.put("experts", config.experts());
    setup.put("top_k", config.topK());
    setup.put("expert_hidden", config.expertHidden());
    setup.put("domains", config.domains());
    setup.put("docs_per_label", config.docsPerLabel());
    setup.put("max_chunks_per_doc", config.maxChunksPerDoc());
    setup.put("train_on_chunks", config.trainOnChunks());
    setup.put("excluded_labels", config.excludedLabels());
    setup.put("optimizer", config.training());
    root.put("setup", setup);
    MAPPER.writeValue(file.toFile(), root);
  }

  private static Map<String, Object> load(ExpertLoad load) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("documents", load.documents());
    m.put("experts", load.experts());
    m.put("dead_experts", load.deadExperts());
    m.put("min_share", load.minShare());
    m.put("max_share", load.maxShare());
    m.put("coefficient_of_variation", load.coefficientOfVariation());
    long[] perExpert = new long[load.experts()];
    for (int e = 0; e < perExpert.length; e++) {
      perExpert[e] = load.documentsOf(e);
    }
    m.put("documents_per_expert", perExpert);
    return m;
  }
}
