package io.expertflow.updater;

import static io.expertflow.updater.UpdaterKeys.BATCH_SIZE;
import static io.expertflow.updater.UpdaterKeys.BUDGET_SHARE;
import static io.expertflow.updater.UpdaterKeys.DP_CLIP_NORM;
import static io.expertflow.updater.UpdaterKeys.DP_DELTA;
import static io.expertflow.updater.UpdaterKeys.DP_ENABLED;
import static io.expertflow.updater.UpdaterKeys.DP_MAX_EPSILON;
import static io.expertflow.updater.UpdaterKeys.DP_MAX_SAMPLES_PER_USER;
import static io.expertflow.updater.UpdaterKeys.DP_NOISE_MULTIPLIER;
import static io.expertflow.updater.UpdaterKeys.DP_SAMPLE_RATE;
import static io.expertflow.updater.UpdaterKeys.EPOCHS;
import static io.expertflow.updater.UpdaterKeys.FEEDBACK_WEIGHT;
import static io.expertflow.updater.UpdaterKeys.HOLDOUT_SHARE;
import static io.expertflow.updater.UpdaterKeys.LEARNING_RATE;
import static io.expertflow.updater.UpdaterKeys.MAX_GUARD_DROP;
import static io.expertflow.updater.UpdaterKeys.MAX_WAIT;
import static io.expertflow.updater.UpdaterKeys.MIN_FEEDBACK;
import static io.expertflow.updater.UpdaterKeys.MIN_HOLDOUT_GAIN;
import static io.expertflow.updater.UpdaterKeys.MIN_NEGATIVE_RATE;
import static io.expertflow.updater.UpdaterKeys.NEW_LABEL_MIN_FEEDBACK;
import static io.expertflow.updater.UpdaterKeys.POLL_TIMEOUT;
import static io.expertflow.updater.UpdaterKeys.ROUTING_ANCHORS_PER_STEP;
import static io.expertflow.updater.UpdaterKeys.ROUTING_MARGIN;
import static io.expertflow.updater.UpdaterKeys.ROUTING_PULL_WEIGHT;
import static io.expertflow.updater.UpdaterKeys.ROUTING_WEIGHT;
import static io.expertflow.updater.UpdaterKeys.SCOPE;
import static io.expertflow.updater.UpdaterKeys.SEED;
import static io.expertflow.updater.UpdaterKeys.SETTLE;
import static io.expertflow.updater.UpdaterKeys.SHARED_ROWS;
import static io.expertflow.updater.UpdaterKeys.TARGETED_BACKOFF;
import static io.expertflow.updater.UpdaterKeys.TOPIC_PREFIX;

import io.expertflow.operators.update.DpConfig;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.UpdateConfig;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.schemas.topics.TopicNames;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@link UpdaterConfig} from the updater's bound settings (keys of {@link UpdaterKeys}).
 * {@code expertflow updater} binds its flags, {@code EXPERTFLOW_<KEY>} environment variables and a
 * properties file into those values, so every knob has one name in all three spellings. Stateless.
 */
public final class UpdaterSettings {
  private UpdaterSettings() {}

  /**
   * The updater configuration from properties keyed as in {@link UpdaterKeys}; absent keys take
   * their defaults.
   *
   * @throws IllegalArgumentException naming the key and value that cannot be parsed or are out of
   *     range
   */
  public static UpdaterConfig fromProperties(Map<String, String> p) {
    return from(SettingValues.of(UpdaterKeys.TABLE, p));
  }

  /** The updater configuration from its bound settings. */
  public static UpdaterConfig from(SettingValues v) {
    SelectionConfig selection =
        guarded(
            () ->
                new SelectionConfig(
                    v.get(MIN_FEEDBACK),
                    v.get(MIN_NEGATIVE_RATE),
                    v.get(BUDGET_SHARE),
                    v.get(SCOPE)));
    UpdateConfig update =
        guarded(
            () ->
                new UpdateConfig(
                    v.get(EPOCHS),
                    v.get(BATCH_SIZE),
                    v.get(LEARNING_RATE),
                    v.get(FEEDBACK_WEIGHT),
                    v.get(HOLDOUT_SHARE),
                    v.get(MIN_HOLDOUT_GAIN),
                    v.get(MAX_GUARD_DROP),
                    v.get(ROUTING_WEIGHT),
                    v.get(ROUTING_PULL_WEIGHT),
                    v.get(ROUTING_MARGIN),
                    v.get(ROUTING_ANCHORS_PER_STEP),
                    v.get(SEED),
                    v.get(SHARED_ROWS),
                    v.get(TARGETED_BACKOFF),
                    new DpConfig(
                        v.get(DP_ENABLED),
                        v.get(DP_NOISE_MULTIPLIER),
                        v.get(DP_CLIP_NORM),
                        v.get(DP_SAMPLE_RATE),
                        v.get(DP_DELTA),
                        v.get(DP_MAX_EPSILON),
                        v.get(DP_MAX_SAMPLES_PER_USER),
                        null)));
    return guarded(
        () ->
            new UpdaterConfig(
                new TopicNames(v.get(TOPIC_PREFIX)),
                v.get(SETTLE),
                v.get(MAX_WAIT),
                v.get(POLL_TIMEOUT),
                selection,
                update,
                v.get(NEW_LABEL_MIN_FEEDBACK),
                v.get(UpdaterKeys.KEEP_VERSIONS)));
  }

  /** Range checks of the config records name fields, not keys: say which settings to look at. */
  private static <T> T guarded(Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (see the updater.*, selection.* and update.* settings)", e);
    }
  }
}
