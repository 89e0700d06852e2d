package io.expertflow.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share group's configuration that the worker sets when it starts. A new share group starts at
 * the latest offset unless told otherwise, and workers want every request; the broker's delivery
 * limit must equal the worker's so the last delivery reaches the worker. The admin client is made
 * from {@link ClientSettings#admin}, with the worker's security overrides. A setting that cannot be
 * made is logged with its consequence; the worker runs on.
 *
 * <p>Threading: called once, on the worker's loop thread, before it subscribes.
 */
final class ShareGroupSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ShareGroupSetup.class);

  private ShareGroupSetup() {}

  static void apply(WorkerConfig config, Map<String, Object> base, DeliveryClients clients) {
    try (Admin admin = clients.admin(ClientSettings.admin(config, base))) {
      set(
          admin,
          config,
          "share.auto.offset.reset",
          "earliest",
          "requests produced before the group first started may be skipped");
      set(
          admin,
          config,
          "share.delivery.count.limit",
          String.valueOf(config.shareDeliveryLimit()),
          "the broker may archive a record that keeps failing before the worker can dead-letter"
              + " it; set the broker's group.share.delivery.count.limit to share.delivery.limit");
    }
  }

  private static void set(
      Admin admin, WorkerConfig config, String key, String value, String consequence) {
    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, config.groupId());
    try {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  group,
                  List.of(
                      new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn(
          "could not set {}={} on share group {} ({}); {}",
          key,
          value,
          config.groupId(),
          Failures.describe(e),
          consequence);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
