package io.expertflow.cli.commands;

import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams app's default state folder, one per Kafka cluster: {@code
 * <tmp>/expertflow-streams/<cluster id>}. With one folder for every cluster, an app pointed at
 * another cluster under the same application id met the stores the first one left, whose
 * checkpoints name offsets the new changelogs never had, and Kafka Streams declared every task
 * corrupted before it wiped and rebuilt them.
 */
final class ClusterStateDir {
  /** How long asking the cluster its id may take before the shared folder is used. */
  static final int TIMEOUT_SECONDS = 30;

  /** What Kafka's cluster ids are made of (base64url); anything else is not put in a path. */
  private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final Logger LOG = LoggerFactory.getLogger(ClusterStateDir.class);

  private ClusterStateDir() {}

  /**
   * {@code config}, or, when it keeps the shared default state folder, the app's settings bound
   * again by {@code rebind} with the folder of the cluster it runs against as the lowest default.
   */
  static StreamsAppConfig settle(
      StreamsAppConfig config, Function<Map<String, String>, StreamsAppConfig> rebind)
      throws InterruptedException {
    if (!config.stateDir().equals(StreamsAppConfig.DEFAULT_STATE_DIR)) {
      return config;
    }
    Optional<Path> own = of(StreamsApp.clientProperties(config));
    if (own.isEmpty()) {
      return config;
    }
    StreamsAppConfig settled =
        rebind.apply(Map.of(StreamsAppProperties.STATE_DIR.name(), own.get().toString()));
    LOG.info("state folder {} (this cluster's; state.dir chooses another)", settled.stateDir());
    return settled;
  }

  /**
   * The folder for the cluster that {@code clientProperties} reach; empty when it does not say its
   * id in time (the app then uses the shared default and reports the cluster as it would).
   */
  static Optional<Path> of(Map<String, Object> clientProperties) throws InterruptedException {
    return of(clientProperties, Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  static Optional<Path> of(Map<String, Object> clientProperties, Duration timeout)
      throws InterruptedException {
    int millis = (int) timeout.toMillis();
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    try (Admin admin = Admin.create(props)) {
      String id =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
              .clusterId()
              .get(millis, TimeUnit.MILLISECONDS);
      return id != null && CLUSTER_ID.matcher(id).matches()
          ? Optional.of(StreamsAppConfig.DEFAULT_STATE_DIR.resolve(id))
          : Optional.empty();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return Optional.empty();
    }
  }
}
