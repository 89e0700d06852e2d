package io.expertflow.worker;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the Kafka clients of a delivery loop from settings built by {@link ClientSettings}. {@link
 * #KAFKA} makes the real ones; tests pass Kafka's mock clients. Implementations must be
 * thread-safe.
 */
interface DeliveryClients {
  /** The real Kafka clients, byte arrays in and out. */
  DeliveryClients KAFKA =
      new DeliveryClients() {
        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> settings) {
          return new KafkaConsumer<>(
              settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public ShareConsumer<byte[], byte[]> shareConsumer(Map<String, Object> settings) {
          return new KafkaShareConsumer<>(
              settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> settings) {
          return new KafkaProducer<>(
              settings, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Admin admin(Map<String, Object> settings) {
          return Admin.create(settings);
        }
      };

  Consumer<byte[], byte[]> consumer(Map<String, Object> settings);

  ShareConsumer<byte[], byte[]> shareConsumer(Map<String, Object> settings);

  Producer<byte[], byte[]> producer(Map<String, Object> settings);

  Admin admin(Map<String, Object> settings);
}
