package io.expertflow.updater;

import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.UpdateConfig;
import io.expertflow.operators.update.UpdateScope;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every knob of {@link UpdaterConfig} under one properties key each ({@link #SETTINGS}), parsed
 * from one flat map. {@code expertflow updater} turns its flags, {@code EXPERTFLOW_<KEY>}
 * environment variables and a properties file into this map, so every knob has one name in all
 * three spellings. Stateless.
 */
public final class UpdaterSettings {
  /** One key, its default and what it does. */
  public record Setting(String key, String defaultValue, String doc) {}

  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(
              "updater.settle.ms",
              millis(UpdaterConfig.DEFAULT_SETTLE),
              "A closed window is updated from once no statistics record of it arrived for this"
                  + " long."),
          new Setting(
              "updater.max.wait.ms",
              millis(UpdaterConfig.DEFAULT_MAX_WAIT),
              "... or this long after its first statistics record, even if some attributed"
                  + " feedback that the statistics count is missing."),
          new Setting(
              "updater.poll.timeout.ms",
              millis(UpdaterConfig.DEFAULT_POLL_TIMEOUT),
              "Longest wait of one poll: bounds how late a ready window is noticed."),
          new Setting(
              "selection.min.feedback",
              String.valueOf(SelectionConfig.DEFAULT_MIN_FEEDBACK),
              "An expert needs at least this many feedback events in the window."),
          new Setting(
              "selection.min.negative.rate",
              String.valueOf(SelectionConfig.DEFAULT_MIN_NEGATIVE_RATE),
              "... and at least this share of them negative."),
          new Setting(
              "selection.parameter.budget.share",
              String.valueOf(SelectionConfig.DEFAULT_PARAMETER_BUDGET_SHARE),
              "An update changes at most this share of the head's expert parameters."),
          new Setting(
              "selection.scope",
              UpdateScope.DEFAULT.name().toLowerCase(Locale.ROOT),
              "What changes in a chosen expert: feedback_label_outputs,"
                  + " feedback_label_outputs_fixed_routing, all_outputs or whole_expert."),
          new Setting(
              "update.epochs",
              String.valueOf(UpdateConfig.DEFAULT_EPOCHS),
              "Passes over the training samples (feedback plus replay)."),
          new Setting(
              "update.batch.size",
              String.valueOf(UpdateConfig.DEFAULT_BATCH_SIZE),
              "Samples per optimizer step."),
          new Setting(
              "update.learning.rate",
              String.valueOf(UpdateConfig.DEFAULT_LEARNING_RATE),
              "Adam step size."),
          new Setting(
              "update.feedback.weight",
              String.valueOf(UpdateConfig.DEFAULT_FEEDBACK_WEIGHT),
              "Loss weight of a feedback sample relative to a replayed one."),
          new Setting(
              "update.holdout.share",
              String.valueOf(UpdateConfig.DEFAULT_HOLDOUT_SHARE),
              "Share of each label's feedback held out to judge the update, in (0, 1)."),
          new Setting(
              "update.min.holdout.gain",
              String.valueOf(UpdateConfig.DEFAULT_MIN_HOLDOUT_GAIN),
              "Held-out accuracy must rise by more than this (0.01 = 1 point) to publish."),
          new Setting(
              "update.max.guard.drop",
              String.valueOf(UpdateConfig.DEFAULT_MAX_GUARD_DROP),
              "Guard-set accuracy may fall by at most this (0.005 = half a point) to publish."),
          new Setting(
              "update.routing.weight",
              String.valueOf(UpdateConfig.DEFAULT_ROUTING_WEIGHT),
              "Loss weight of the term that keeps chosen gate rows from pulling in other"
                  + " documents; 0 turns it off."),
          new Setting(
              "update.routing.pull.weight",
              String.valueOf(UpdateConfig.DEFAULT_ROUTING_PULL_WEIGHT),
              "Loss weight of the term that draws the feedback's documents to the chosen"
                  + " experts; 0 turns it off."),
          new Setting(
              "update.routing.margin",
              String.valueOf(UpdateConfig.DEFAULT_ROUTING_MARGIN),
              "Margin of both routing terms, in gate-score units."),
          new Setting(
              "update.routing.anchors.per.step",
              String.valueOf(UpdateConfig.DEFAULT_ROUTING_ANCHORS_PER_STEP),
              "Replayed training samples drawn per optimizer step for the routing term."),
          new Setting(
              "update.seed",
              String.valueOf(UpdateConfig.DEFAULT_SEED),
              "Seed of the sample order; the same window, parent and settings give the same"
                  + " version."));

  private UpdaterSettings() {}

  /**
   * The updater configuration from properties keyed as in {@link #SETTINGS}, on the topics under
   * {@code topicPrefix}; absent keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key and value that cannot be parsed or are out of
   *     range
   */
  public static UpdaterConfig fromProperties(String topicPrefix, Map<String, String> p) {
    SelectionConfig selection =
        guarded(
            () ->
                new SelectionConfig(
                    get(p, "selection.min.feedback", Long::parseLong),
                    get(p, "selection.min.negative.rate", Double::parseDouble),
                    get(p, "selection.parameter.budget.share", Double::parseDouble),
                    get(p, "selection.scope", UpdaterSettings::scope)));
    UpdateConfig update =
        guarded(
            () ->
                new UpdateConfig(
                    get(p, "update.epochs", Integer::parseInt),
                    get(p, "update.batch.size", Integer::parseInt),
                    get(p, "update.learning.rate", Double::parseDouble),
                    get(p, "update.feedback.weight", Double::parseDouble),
                    get(p, "update.holdout.share", Double::parseDouble),
                    get(p, "update.min.holdout.gain", Double::parseDouble),
                    get(p, "update.max.guard.drop", Double::parseDouble),
                    get(p, "update.routing.weight", Double::parseDouble),
                    get(p, "update.routing.pull.weight", Double::parseDouble),
                    get(p, "update.routing.margin", Double::parseDouble),
                    get(p, "update.routing.anchors.per.step", Integer::parseInt),
                    get(p, "update.seed", Long::parseLong)));
    return guarded(
        () ->
            new UpdaterConfig(
                new TopicNames(topicPrefix),
                get(p, "updater.settle.ms", UpdaterSettings::duration),
                get(p, "updater.max.wait.ms", UpdaterSettings::duration),
                get(p, "updater.poll.timeout.ms", UpdaterSettings::duration),
                selection,
                update));
  }

  private static <T> T get(Map<String, String> p, String key, Function<String, T> parse) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      v = defaultOf(key);
    }
    try {
      return parse.apply(v.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + " cannot be '" + v + "': " + e.getMessage() + " (default " + defaultOf(key) + ")",
          e);
    }
  }

  /** Range checks of the config records name fields, not keys: say which settings to look at. */
  private static <T> T guarded(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains(" cannot be '")) {
        throw e;
      }
      throw new IllegalArgumentException(
          e.getMessage() + " (see the updater.*, selection.* and update.* settings)", e);
    }
  }

  private static String defaultOf(String key) {
    for (Setting s : SETTINGS) {
      if (s.key().equals(key)) {
        return s.defaultValue();
      }
    }
    throw new IllegalStateException("unknown updater setting " + key);
  }

  private static Duration duration(String ms) {
    return Duration.ofMillis(Long.parseLong(ms));
  }

  private static UpdateScope scope(String value) {
    try {
      return UpdateScope.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "must be feedback_label_outputs, all_outputs or whole_expert");
    }
  }

  private static String millis(Duration d) {
    return String.valueOf(d.toMillis());
  }
}
