package io.expertflow.updater;

import io.expertflow.avro.ModelVersion;
import io.expertflow.operators.update.UpdateResult;

/** Observes each update the service ran, after its records are on Kafka. Called on its loop. */
@FunctionalInterface
public interface UpdateListener {
  UpdateListener NONE = (result, record) -> {};

  void updated(UpdateResult result, ModelVersion record);
}
