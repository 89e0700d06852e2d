package io.expertflow.schemas.serde;

import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (specific or generic) in the wire format, registering the record's schema
 * under the topic's subject on first use ({@code auto.register.schemas}, default true) or looking
 * up its id when auto-registration is off. Thread-safe.
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
  /** Whether to register schemas on first use; with false, the schema must be registered. */
  public static final String AUTO_REGISTER = "auto.register.schemas";

  private SchemaRegistryClient registry;
  private boolean ownsRegistry;
  private boolean isKey;
  private boolean autoRegister = true;
  private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must be called. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
    this.registry = registry;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (registry == null) {
      registry = new HttpSchemaRegistryClient(SchemaRegistryConfig.fromProperties(configs));
      ownsRegistry = true;
    }
    Object auto = configs.get(AUTO_REGISTER);
    if (auto != null) {
      autoRegister = Boolean.parseBoolean(auto.toString());
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Schema schema = record.getSchema();
    String subject = Subjects.subject(topic, isKey);
    int id;
    try {
      id =
          idsBySubject.computeIfAbsent(
              subject + '\0' + schema.getFullName() + '\0' + schema.hashCode(),
              k ->
                  autoRegister
                      ? registry.register(subject, schema)
                      : registry
                          .lookup(subject, schema)
                          .orElseThrow(
                              () ->
                                  new SerializationException(
                                      "schema "
                                          + schema.getFullName()
                                          + " is not registered under "
                                          + subject
                                          + " and "
                                          + AUTO_REGISTER
                                          + "=false")));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot register " + schema.getFullName() + " under " + subject + ": " + e.getMessage(),
          e);
    }
    return WireFormat.frame(id, encode(record, schema));
  }

  @SuppressWarnings("unchecked")
  private static <T> byte[] encode(T record, Schema schema) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    DatumWriter<T> writer =
        record instanceof SpecificRecord
            ? new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema))
            : new GenericDatumWriter<>(schema);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + schema.getFullName() + ": " + e, e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }
}
