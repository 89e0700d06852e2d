package io.expertflow.worker;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;

/**
 * TEST double: hands the delivery loops the mock clients it was given and records the settings each
 * client was made with, by kind ({@code consumer}, {@code share-consumer}, {@code producer}, {@code
 * admin}). Its admin client only knows {@code incrementalAlterConfigs}, which it records and
 * answers with success. Thread-safe.
 */
final class RecordingClients implements DeliveryClients {
  private final Consumer<byte[], byte[]> consumer;
  private final ShareConsumer<byte[], byte[]> shareConsumer;
  private final Producer<byte[], byte[]> producer;
  private final Map<String, Map<String, Object>> settings = new ConcurrentHashMap<>();
  private final List<String> groupConfigs = new ArrayList<>();

  RecordingClients(
      Consumer<byte[], byte[]> consumer,
      ShareConsumer<byte[], byte[]> shareConsumer,
      Producer<byte[], byte[]> producer) {
    this.consumer = consumer;
    this.shareConsumer = shareConsumer;
    this.producer = producer;
  }

  /** The settings the client of {@code kind} was made with; empty if none was made. */
  Map<String, Object> settings(String kind) {
    return settings.getOrDefault(kind, Map.of());
  }

  /** What the admin client set, as {@code group:key=value}. */
  synchronized List<String> groupConfigs() {
    return List.copyOf(groupConfigs);
  }

  @Override
  public Consumer<byte[], byte[]> consumer(Map<String, Object> s) {
    settings.put("consumer", Map.copyOf(s));
    return consumer;
  }

  @Override
  public ShareConsumer<byte[], byte[]> shareConsumer(Map<String, Object> s) {
    settings.put("share-consumer", Map.copyOf(s));
    return shareConsumer;
  }

  @Override
  public Producer<byte[], byte[]> producer(Map<String, Object> s) {
    settings.put("producer", Map.copyOf(s));
    return producer;
  }

  @Override
  public Admin admin(Map<String, Object> s) {
    settings.put("admin", Map.copyOf(s));
    return (Admin)
        Proxy.newProxyInstance(
            Admin.class.getClassLoader(),
            new Class<?>[] {Admin.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "close" -> null;
                  case "incrementalAlterConfigs" -> alter(args[0]);
                  default ->
                      throw new UnsupportedOperationException(
                          method.getName() + " is not part of this test double");
                });
  }

  @SuppressWarnings("unchecked")
  private AlterConfigsResult alter(Object arg) throws ReflectiveOperationException {
    Map<ConfigResource, Collection<AlterConfigOp>> ops =
        (Map<ConfigResource, Collection<AlterConfigOp>>) arg;
    Map<ConfigResource, KafkaFuture<Void>> results = new HashMap<>();
    synchronized (this) {
      ops.forEach(
          (resource, list) -> {
            list.forEach(
                op ->
                    groupConfigs.add(
                        resource.name()
                            + ":"
                            + op.configEntry().name()
                            + "="
                            + op.configEntry().value()));
            results.put(resource, KafkaFuture.completedFuture(null));
          });
    }
    // Kafka offers no public way to make a result; its constructor is package-private
    Constructor<AlterConfigsResult> c = AlterConfigsResult.class.getDeclaredConstructor(Map.class);
    c.setAccessible(true);
    return c.newInstance(results);
  }
}
