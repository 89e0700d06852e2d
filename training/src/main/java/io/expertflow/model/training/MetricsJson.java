package io.expertflow.model.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.operators.moe.EpochReport;
import io.expertflow.operators.moe.ExpertLoad;
import io.expertflow.operators.moe.LinearProbe;
import io.expertflow.operators.moe.TrainingResult;
import io.expertflow.operators.update.ShiftFigures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
      ShiftPools pools,
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
    heldOut.put("macro_f1", report.head().macroF1());
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
        "expert_load",
        Map.of(
            "test",
            load(report.testLoad()),
            "train",
            load(report.trainLoad()),
            "all_documents",
            load(report.documentLoad())));
    TrainingReport.Figures f = report.linearProbe();
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put(
        "what",
        config.baseline() == TrainingConfig.Baseline.TUNED
            ? "baseline: a plain logistic regression on the same training samples and embeddings,"
                + " solved to convergence at each L2 strength of "
                + Arrays.toString(LinearProbe.tunedGrid())
                + ", the strength with the lowest validation cross-entropy kept"
            : "baseline: a plain logistic regression on the same training samples and embeddings,"
                + " best validation epoch of "
                + LinearProbe.EPOCHS
                + " (the regression the experts start from)");
    probe.put("fit", config.baseline().name());
    putFigures(probe, f);
    root.put("baseline_linear_probe", probe);
    TrainingReport.Figures lexical = report.tfIdf();
    Map<String, Object> tfIdf = new LinkedHashMap<>();
    tfIdf.put(
        "what",
        "baseline: a softmax regression on the documents' TF-IDF features (words and word pairs"
            + " in at least "
            + TfIdfBaseline.MIN_DOCUMENT_FREQUENCY
            + " training documents, whole text), best validation pass of "
            + TfIdfBaseline.EPOCHS
            + "; no encoder");
    putFigures(tfIdf, lexical);
    root.put("baseline_tfidf", tfIdf);
    Map<String, Object> combined = new LinkedHashMap<>();
    combined.put(
        "what",
        "the head's probabilities times the TF-IDF baseline's to the power weight,"
            + " renormalised; the weight of "
            + HeadWithTfIdf.WEIGHTS
            + " with the lowest validation cross-entropy (0: the head alone); the bundle serves it"
            + " (model/lexical.bin) when the weight is above 0");
    combined.put("weight", report.headWithTfIdf().weight());
    combined.put("served", report.headWithTfIdf().served());
    putFigures(combined, report.headWithTfIdf().figures());
    root.put("head_with_tfidf", combined);
    Map<String, Object> train = new LinkedHashMap<>();
    train.put("best_epoch", report.bestEpoch());
    train.put("revived_experts", training.revivedExperts());
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (EpochReport e : training.history()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", e.epoch());
      row.put("train_loss", e.trainLoss());
      row.put("train_accuracy", e.trainAccuracy());
      row.put("validation_accuracy", e.validationAccuracy());
      row.put("validation_loss", e.validationLoss());
      row.put("dead_experts", e.deadExperts());
      row.put("max_share", e.maxShare());
      epochs.add(row);
    }
    train.put("epochs", epochs);
    root.put("training", train);
    if (report.hasShift()) {
      root.put("shift", shift(report.shift(), pools, config));
      if (report.retrain() != null) {
        Map<String, Object> retrain = new LinkedHashMap<>();
        retrain.put("new_label_accuracy", report.retrain().newLabelAccuracy());
        retrain.put("guard_accuracy", report.retrain().guardAccuracy());
        retrain.put("update_share_of_retrain_gain", report.retrain().updateShare());
        TrainingReport.GuardHeld held = report.retrain().guardHeld();
        Map<String, Object> guardHeld = new LinkedHashMap<>();
        guardHeld.put(
            "held_out_logit_offset", Double.isInfinite(held.offset()) ? null : held.offset());
        guardHeld.put("new_label_accuracy", held.newLabelAccuracy());
        guardHeld.put("guard_accuracy", held.guardAccuracy());
        guardHeld.put("guard_accuracy_without_held_out_labels", held.guardWithout());
        guardHeld.put("update_share_of_gain", held.updateShare());
        retrain.put("held_to_guard_bound", guardHeld);
        TrainingReport.Served served = report.retrain().served();
        if (served != null) {
          Map<String, Object> asServed = new LinkedHashMap<>();
          asServed.put("new_label_before", served.before());
          asServed.put("new_label_after_update", served.after());
          asServed.put("new_label_after_retrain", served.retrain());
          asServed.put("update_share_of_retrain_gain", served.updateShare());
          retrain.put("served_with_tfidf", asServed);
        }
        TrainingReport.OtherLabels others = report.retrain().otherLabels();
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("documents", others.documents());
        other.put("before", others.before());
        other.put("after_update", others.afterUpdate());
        other.put("after_retrain", others.afterRetrain());
        retrain.put("other_labels_validation_served", other);
        root.put("retrain_reference", retrain);
      }
    }
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
    setup.put("guard_per_label", config.guardPerLabel());
    setup.put("held_out_labels", pools.heldOutLabels());
    setup.put("traffic_share", config.trafficShare());
    setup.put("optimizer", config.training());
    root.put("setup", setup);
    MAPPER.writeValue(file.toFile(), root);
  }

  private static Map<String, Object> shift(ShiftFigures f, ShiftPools pools, TrainingConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("held_out_labels", pools.heldOutLabels());
    m.put("traffic_documents", pools.traffic().size());
    m.put("evaluation_documents", pools.evaluation().size());
    m.put("new_label_accuracy_before", f.newLabelBefore());
    m.put("new_label_accuracy_after", f.newLabelAfter());
    m.put("guard_accuracy_before", f.guardBefore());
    m.put("guard_accuracy_after", f.guardAfter());
    m.put("parameters_changed", f.parametersChanged());
    m.put("parameters_total", f.parametersTotal());
    m.put("parameters_changed_share", f.changedShare());
    m.put("changed_experts", f.changedExperts());
    m.put("unchanged_experts_bit_identical", f.unchangedExpertsIdentical());
    m.put("published", f.published());
    m.put("reason", f.reason());
    m.put("version_id", f.versionId());
    if (f.privacy() != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("epsilon", f.privacy().epsilon());
      p.put("delta", f.privacy().delta());
      p.put("noise_multiplier", f.privacy().noiseMultiplier());
      p.put("clip_norm", f.privacy().clipNorm());
      p.put("sample_rate", f.privacy().sampleRate());
      p.put("steps", f.privacy().steps());
      p.put("users", f.privacy().users().size());
      m.put("privacy", p);
    }
    m.put("selection", c.shiftSelection());
    m.put("update", c.shiftUpdate());
    m.put("traffic_ids", pools.traffic().stream().map(ShiftPools.PoolDocument::id).toList());
    m.put("evaluation_ids", pools.evaluation().stream().map(ShiftPools.PoolDocument::id).toList());
    return m;
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

  /** The run's counts: documents, splits, samples, chunks. */
  static Map<String, Object> counts(
      CorpusSet set,
      Map<Split, List<LabeledDocument>> split,
      Map<Split, Integer> bySplit,
      int trainSamples,
      int guardSamples,
      CorpusEmbedder.Stats stats) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("documents_after_dedup", set.documents().size());
    counts.put("duplicates_dropped", set.duplicatesDropped());
    counts.put("documents_by_split", bySplit);
    counts.put("train_samples", trainSamples);
    counts.put("guard_set_samples", guardSamples);
    counts.put("chunks", stats.chunks());
    counts.put("chunks_embedded_now", stats.embeddedChunks());
    counts.put("test_documents_by_label", DocumentSplit.countByLabel(split.get(Split.TEST)));
    counts.put("train_documents_by_label", DocumentSplit.countByLabel(split.get(Split.TRAIN)));
    return counts;
  }

  /** A baseline's test figures, under the keys the head's have. */
  private static void putFigures(Map<String, Object> m, TrainingReport.Figures f) {
    m.put("genre_accuracy", f.genreAccuracy());
    m.put("genre_macro_f1", f.genreMacroF1());
    m.put("spam_precision", f.spamPrecision());
    m.put("spam_recall", f.spamRecall());
    m.put("spam_f1", f.spamF1());
    m.put("accuracy", f.accuracy());
    m.put("macro_f1", f.macroF1());
  }
}
