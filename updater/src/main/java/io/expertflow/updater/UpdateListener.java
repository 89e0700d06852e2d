package io.expertflow.updater;

import io.expertflow.avro.ModelVersion;
import io.expertflow.operators.update.UpdateResult;
import java.time.Duration;

/** Observes each update the service ran, after its records are on Kafka. Called on its loop. */
@FunctionalInterface
public interface UpdateListener {
  UpdateListener NONE = (result, record, took) -> {};

  /**
   * @param result what the update did
   * @param record the version record written for it (PUBLISHED or REJECTED)
   * @param took from the window's closing to its records being on Kafka
   */
  void updated(UpdateResult result, ModelVersion record, Duration took);
}
