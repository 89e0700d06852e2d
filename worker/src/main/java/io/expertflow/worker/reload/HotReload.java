package io.expertflow.worker.reload;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.versions.BaseModel;
import io.expertflow.worker.pipeline.ServingModelRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a worker's {@link ModelVersionFollower} on a daemon thread of its own and waits until it
 * has caught up with the version topics, so the worker takes its first request on the version they
 * name. Stateless; the caller owns (and closes) the follower it returns.
 */
public final class HotReload {
  private static final Logger LOG = LoggerFactory.getLogger(HotReload.class);

  private HotReload() {}

  /**
   * Starts following and waits at most {@code catchUpTimeout} for the follower to catch up.
   *
   * @param kafkaProperties consumer settings (bootstrap servers, security); no group is used
   * @return the running follower, which serves the topics' current version already
   * @throws IllegalStateException if the topics are missing or unreadable, or catching up took
   *     longer than {@code catchUpTimeout}; the follower is closed then
   */
  public static ModelVersionFollower start(
      String workerId,
      FollowerConfig config,
      Duration catchUpTimeout,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      BaseModel base,
      HeadBuilder heads,
      ServingModelRef models) {
    ModelVersionFollower follower =
        new ModelVersionFollower(config, kafkaProperties, registry, base, heads, models);
    Thread t = new Thread(follower, "model-versions-" + workerId);
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> {
          // a failure while catching up is reported by start(), to its caller
          if (follower.caughtUp().isDone() && !follower.caughtUp().isCompletedExceptionally()) {
            LOG.error(
                "worker {} stopped following model versions ({}); it reports not ready"
                    + " (/readyz 503, expertflow_worker_model_versions_following 0) and serves"
                    + " {} to what it has taken until it is restarted",
                workerId,
                e.toString(),
                models.current().version());
          }
        });
    t.start();
    String topics = config.topics().modelVersions() + " and " + config.topics().expertUpdates();
    try {
      String version = follower.caughtUp().get(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("worker {} caught up with {}: serving version {}", workerId, topics, version);
      return follower;
    } catch (TimeoutException e) {
      follower.close();
      throw new IllegalStateException(
          "worker "
              + workerId
              + " could not read "
              + topics
              + " to their end within reload.catch.up.timeout.ms="
              + catchUpTimeout.toMillis()
              + "; check that the brokers are reachable and the topics exist ('expertflow up'"
              + " creates them), raise the timeout, or set reload.enabled=false to serve the"
              + " bundle without hot reload",
          e);
    } catch (ExecutionException e) {
      follower.close();
      throw new IllegalStateException(
          "worker "
              + workerId
              + " cannot follow "
              + topics
              + ": "
              + e.getCause().getMessage()
              + " (or set reload.enabled=false to serve the bundle without hot reload)",
          e.getCause());
    } catch (InterruptedException e) {
      follower.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while catching up with " + topics, e);
    }
  }
}
