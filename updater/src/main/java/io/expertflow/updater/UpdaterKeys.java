package io.expertflow.updater;

import static io.expertflow.schemas.settings.SettingType.BOOLEAN;
import static io.expertflow.schemas.settings.SettingType.DOUBLE;
import static io.expertflow.schemas.settings.SettingType.DURATION;
import static io.expertflow.schemas.settings.SettingType.INT;
import static io.expertflow.schemas.settings.SettingType.LONG;
import static io.expertflow.schemas.settings.SettingType.STRING;

import io.expertflow.operators.update.DpConfig;
import io.expertflow.operators.update.LabelGrowth;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.UpdateConfig;
import io.expertflow.operators.update.UpdateScope;
import io.expertflow.schemas.settings.ConnectionKeys;
import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.settings.SettingTable;
import io.expertflow.schemas.settings.SettingType;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every key of the updater, with its type, default and meaning: the source of its rows of
 * docs/CONFIGURATION.md, its flags, {@code EXPERTFLOW_*} variables and properties files. Keys
 * starting with {@code kafka.} pass through to the Kafka clients.
 */
public final class UpdaterKeys {
  public static final SettingKey<String> TOPIC_PREFIX =
      SettingKey.of(
          "topic.prefix",
          STRING,
          TopicNames.DEFAULT_PREFIX,
          "Prefix of the topics it reads and writes (flag --topic-prefix).");
  public static final SettingKey<Duration> SETTLE =
      SettingKey.of(
          "updater.settle.ms",
          DURATION,
          UpdaterConfig.DEFAULT_SETTLE,
          "A closed window is updated from once no statistics record of it arrived for this long.");
  public static final SettingKey<Duration> MAX_WAIT =
      SettingKey.of(
          "updater.max.wait.ms",
          DURATION,
          UpdaterConfig.DEFAULT_MAX_WAIT,
          "... or this long after its first statistics record, even if some attributed feedback"
              + " that the statistics count is missing.");
  public static final SettingKey<Duration> POLL_TIMEOUT =
      SettingKey.of(
          "updater.poll.timeout.ms",
          DURATION,
          UpdaterConfig.DEFAULT_POLL_TIMEOUT,
          "Longest wait of one poll: bounds how late a ready window is noticed.");
  public static final SettingKey<Integer> KEEP_VERSIONS =
      SettingKey.of(
              "updater.keep.versions",
              INT,
              UpdaterConfig.DEFAULT_KEEP_VERSIONS,
              "After each published version, remove (tombstone) the expert-updates records that"
                  + " neither the serving version nor the newest this many published versions"
                  + " need: older versions can no longer be rolled back to; 0 removes nothing.")
          .requiring(v -> v >= 0, ">= 0");
  public static final SettingKey<Long> MIN_FEEDBACK =
      SettingKey.of(
          "selection.min.feedback",
          LONG,
          SelectionConfig.DEFAULT_MIN_FEEDBACK,
          "An expert needs at least this many feedback events in the window.");
  public static final SettingKey<Double> MIN_NEGATIVE_RATE =
      SettingKey.of(
          "selection.min.negative.rate",
          DOUBLE,
          SelectionConfig.DEFAULT_MIN_NEGATIVE_RATE,
          "... and at least this share of them negative.");
  public static final SettingKey<Double> BUDGET_SHARE =
      SettingKey.of(
          "selection.parameter.budget.share",
          DOUBLE,
          SelectionConfig.DEFAULT_PARAMETER_BUDGET_SHARE,
          "An update changes at most this share of the head's expert parameters.");
  public static final SettingKey<UpdateScope> SCOPE =
      SettingKey.of(
          "selection.scope",
          SettingType.oneOf(UpdateScope.class),
          UpdateScope.DEFAULT,
          "What changes in a chosen expert: feedback_label_outputs,"
              + " feedback_label_outputs_fixed_routing, all_outputs or whole_expert.");
  public static final SettingKey<Integer> EPOCHS =
      SettingKey.of(
          "update.epochs",
          INT,
          UpdateConfig.DEFAULT_EPOCHS,
          "Passes over the training samples (feedback plus replay).");
  public static final SettingKey<Integer> BATCH_SIZE =
      SettingKey.of(
          "update.batch.size", INT, UpdateConfig.DEFAULT_BATCH_SIZE, "Samples per optimizer step.");
  public static final SettingKey<Double> LEARNING_RATE =
      SettingKey.of(
          "update.learning.rate", DOUBLE, UpdateConfig.DEFAULT_LEARNING_RATE, "Adam step size.");
  public static final SettingKey<Double> FEEDBACK_WEIGHT =
      SettingKey.of(
          "update.feedback.weight",
          DOUBLE,
          UpdateConfig.DEFAULT_FEEDBACK_WEIGHT,
          "Loss weight of a feedback sample relative to a replayed one.");
  public static final SettingKey<Double> HOLDOUT_SHARE =
      SettingKey.of(
          "update.holdout.share",
          DOUBLE,
          UpdateConfig.DEFAULT_HOLDOUT_SHARE,
          "Share of each label's feedback held out to judge the update, in (0, 1).");
  public static final SettingKey<Double> MIN_HOLDOUT_GAIN =
      SettingKey.of(
          "update.min.holdout.gain",
          DOUBLE,
          UpdateConfig.DEFAULT_MIN_HOLDOUT_GAIN,
          "Held-out accuracy must rise by more than this (0.01 = 1 point) to publish.");
  public static final SettingKey<Double> MAX_GUARD_DROP =
      SettingKey.of(
          "update.max.guard.drop",
          DOUBLE,
          UpdateConfig.DEFAULT_MAX_GUARD_DROP,
          "Guard-set accuracy may fall by at most this (0.005 = half a point) to publish.");
  public static final SettingKey<Double> ROUTING_WEIGHT =
      SettingKey.of(
          "update.routing.weight",
          DOUBLE,
          UpdateConfig.DEFAULT_ROUTING_WEIGHT,
          "Loss weight of the term that keeps chosen gate rows from pulling in other documents;"
              + " 0 turns it off.");
  public static final SettingKey<Double> ROUTING_PULL_WEIGHT =
      SettingKey.of(
          "update.routing.pull.weight",
          DOUBLE,
          UpdateConfig.DEFAULT_ROUTING_PULL_WEIGHT,
          "Loss weight of the term that draws the feedback's documents to the chosen experts; 0"
              + " turns it off.");
  public static final SettingKey<Double> ROUTING_MARGIN =
      SettingKey.of(
          "update.routing.margin",
          DOUBLE,
          UpdateConfig.DEFAULT_ROUTING_MARGIN,
          "Margin of both routing terms, in gate-score units.");
  public static final SettingKey<Integer> ROUTING_ANCHORS_PER_STEP =
      SettingKey.of(
          "update.routing.anchors.per.step",
          INT,
          UpdateConfig.DEFAULT_ROUTING_ANCHORS_PER_STEP,
          "Replayed training samples drawn per optimizer step for the routing term.");
  public static final SettingKey<Long> SEED =
      SettingKey.of(
          "update.seed",
          LONG,
          UpdateConfig.DEFAULT_SEED,
          "Seed of the sample order; the same window, parent and settings give the same"
              + " version.");
  public static final SettingKey<Integer> HTTP_PORT =
      SettingKey.of(
              "http.port",
              INT,
              -1,
              "Port of /metrics (Prometheus), /healthz and /readyz (ready once the version topics"
                  + " are read to their end); 0 picks a free port, -1 none.")
          .requiring(v -> v >= -1 && v <= 65535, "-1 to 65535");
  public static final SettingKey<Boolean> SHARED_ROWS =
      SettingKey.of(
          "update.shared.rows",
          BOOLEAN,
          UpdateConfig.DEFAULT_SHARED_ROWS,
          "Learn each corrected label's output row first as one change shared by every expert"
              + " (E x (M + 1) parameters a label), then fine-tune the chosen experts.");
  public static final SettingKey<Boolean> TARGETED_BACKOFF =
      SettingKey.of(
          "update.backoff.targeted",
          BOOLEAN,
          UpdateConfig.DEFAULT_TARGETED_BACKOFF,
          "When a shared row costs the guard set, also try lowering its bias only in the experts"
              + " that route the guard documents it took, and keep that when it does at least as"
              + " well on the held-out feedback. It learns new labels better but costs about twice"
              + " as many documents the guard set does not see; false lowers the bias in every"
              + " expert alike.");

  public static final SettingKey<Integer> NEW_LABEL_MIN_FEEDBACK =
      SettingKey.of(
              "update.new.labels.min.feedback",
              INT,
              LabelGrowth.DEFAULT_MIN_DOCUMENTS,
              "Add a label the model lacks when feedback on at least this many distinct requests"
                  + " of one window corrects an answer to it; 0 never adds labels.")
          .requiring(v -> v >= 0, ">= 0");

  public static final SettingKey<Boolean> DP_ENABLED =
      SettingKey.of(
          "update.dp.enabled",
          BOOLEAN,
          DpConfig.DEFAULT_ENABLED,
          "Train privately (DP-SGD: each feedback user's gradient clipped, Gaussian noise added,"
              + " privacy accounted per user and recorded in the version). Off by default: on a"
              + " week of a few dozen feedback users the noise costs most of an update's gain"
              + " (docs/FEEDBACK-LOOP.md).");
  public static final SettingKey<Double> DP_NOISE_MULTIPLIER =
      SettingKey.of(
              "update.dp.noise.multiplier",
              DOUBLE,
              DpConfig.DEFAULT_NOISE_MULTIPLIER,
              "Noise standard deviation over the clip norm (sigma); more noise, lower epsilon.")
          .requiring(v -> v > 0 && Double.isFinite(v), "> 0");
  public static final SettingKey<Double> DP_CLIP_NORM =
      SettingKey.of(
              "update.dp.clip.norm",
              DOUBLE,
              DpConfig.DEFAULT_CLIP_NORM,
              "L2 bound of one feedback user's gradient (and one replayed sample's) in a step.")
          .requiring(v -> v > 0 && Double.isFinite(v), "> 0");
  public static final SettingKey<Double> DP_SAMPLE_RATE =
      SettingKey.of(
              "update.dp.sample.rate",
              DOUBLE,
              DpConfig.DEFAULT_SAMPLE_RATE,
              "Probability that a feedback user takes part in a step of the shared-row stage"
                  + " (Poisson sampling); the per-expert stage draws each user and replayed sample"
                  + " at update.batch.size / their number.")
          .requiring(v -> v > 0 && v <= 1, "in (0, 1]");
  public static final SettingKey<Double> DP_DELTA =
      SettingKey.of(
              "update.dp.delta",
              DOUBLE,
              DpConfig.DEFAULT_DELTA,
              "Delta at which epsilon is reported and the budget checked.")
          .requiring(v -> v > 0 && v <= 1e-3, "in (0, 0.001]");
  public static final SettingKey<Double> DP_MAX_EPSILON =
      SettingKey.of(
              "update.dp.max.epsilon",
              DOUBLE,
              DpConfig.DEFAULT_MAX_EPSILON,
              "Budget of each feedback user over all updates: users who would pass it are left"
                  + " out, and an update that alone would is refused.")
          .requiring(v -> v > 0, "> 0");
  public static final SettingKey<Integer> DP_MAX_SAMPLES_PER_USER =
      SettingKey.of(
              "update.dp.max.samples.per.user",
              INT,
              DpConfig.DEFAULT_MAX_SAMPLES_PER_USER,
              "Feedback samples of one user (feedback without a source is one user) trained on in"
                  + " a window; the rest are left out.")
          .requiring(v -> v >= 1, ">= 1");

  /** Prefix of the keys passed to the Kafka clients without it. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** The updater's table: connection keys, topics, timing, selection, update. */
  public static final SettingTable TABLE = table();

  private UpdaterKeys() {}

  private static SettingTable table() {
    List<SettingKey<?>> keys = new ArrayList<>(ConnectionKeys.KEYS);
    keys.addAll(
        List.of(
            TOPIC_PREFIX,
            SETTLE,
            MAX_WAIT,
            POLL_TIMEOUT,
            KEEP_VERSIONS,
            MIN_FEEDBACK,
            MIN_NEGATIVE_RATE,
            BUDGET_SHARE,
            SCOPE,
            EPOCHS,
            BATCH_SIZE,
            LEARNING_RATE,
            FEEDBACK_WEIGHT,
            HOLDOUT_SHARE,
            MIN_HOLDOUT_GAIN,
            MAX_GUARD_DROP,
            ROUTING_WEIGHT,
            ROUTING_PULL_WEIGHT,
            ROUTING_MARGIN,
            ROUTING_ANCHORS_PER_STEP,
            SEED,
            SHARED_ROWS,
            TARGETED_BACKOFF,
            NEW_LABEL_MIN_FEEDBACK,
            DP_ENABLED,
            DP_NOISE_MULTIPLIER,
            DP_CLIP_NORM,
            DP_SAMPLE_RATE,
            DP_DELTA,
            DP_MAX_EPSILON,
            DP_MAX_SAMPLES_PER_USER,
            HTTP_PORT));
    return SettingTable.of("updater", keys, KAFKA_PREFIX);
  }
}
