package io.expertflow.schemas.serde;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads wire-format Avro records: fetches the writer's schema by id (cached) and resolves it to the
 * reader's type -- a generated {@link SpecificRecord} class, or {@link
 * org.apache.avro.generic.GenericRecord} when no type is given. Thread-safe.
 *
 * <p>Bad records raise a {@link WireFormatException} whose {@link WireFormatException#reason()} is
 * the dead-letter reason: {@code UNDECODABLE} (no magic byte, truncated or corrupt body), {@code
 * UNKNOWN_SCHEMA} (the registry does not know the id) or {@code MISSING_FIELD} (the writer's schema
 * lacks a field the reader needs). A registry that cannot be reached raises a plain {@link
 * SerializationException}: that is no fault of the record, so callers retry rather than
 * dead-letter.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  static {
    AvroLimits.install();
  }

  /** Fully qualified name of the generated record class to read into; absent: generic records. */
  public static final String VALUE_TYPE = "expertflow.avro.type";

  private SchemaRegistryClient registry;
  private boolean ownsRegistry;
  private Schema readerSchema;
  private SpecificData specificData;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must be called. */
  public AvroDeserializer() {}

  /**
   * A deserializer into {@code type} ({@code null}: generic records).
   *
   * @param registry the registry to fetch writer schemas from
   */
  public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
    this.registry = registry;
    setType(type);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new HttpSchemaRegistryClient(SchemaRegistryConfig.fromProperties(configs));
      ownsRegistry = true;
    }
    Object type = configs.get(VALUE_TYPE);
    if (type instanceof Class<?> c) {
      setType((Class<T>) c);
    } else if (type != null) {
      try {
        setType((Class<T>) Class.forName(type.toString()));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(VALUE_TYPE + ": no class " + type, e);
      }
    }
  }

  private void setType(Class<T> type) {
    if (type == null) {
      return;
    }
    if (!SpecificRecord.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(type + " is not a generated Avro SpecificRecord class");
    }
    specificData = SpecificData.getForClass(type);
    readerSchema = specificData.getSchema(type);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    int id = WireFormat.schemaId(topic, data);
    DatumReader<T> reader = readers.computeIfAbsent(id, k -> reader(topic, k));
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    try {
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new WireFormatException(
            DeadLetterReason.UNDECODABLE,
            "record on " + topic + " has trailing bytes after an Avro body of schema id " + id,
            null);
      }
      return value;
    } catch (EOFException e) {
      throw new WireFormatException(
          DeadLetterReason.UNDECODABLE,
          "record on "
              + topic
              + " is truncated: its body ends before the schema id "
              + id
              + " says",
          e);
    } catch (AvroTypeException e) {
      throw new WireFormatException(
          DeadLetterReason.MISSING_FIELD,
          "record on " + topic + " (schema id " + id + ") cannot be read: " + e.getMessage(),
          e);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | UnsupportedOperationException e) {
      // AvroRuntimeException includes SystemLimitException: a length past AvroLimits
      throw new WireFormatException(
          DeadLetterReason.UNDECODABLE,
          "record on " + topic + " (schema id " + id + ") has a corrupt Avro body: " + e,
          e);
    }
  }

  private DatumReader<T> reader(String topic, int id) {
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new WireFormatException(
            DeadLetterReason.UNKNOWN_SCHEMA,
            "record on "
                + topic
                + " names schema id "
                + id
                + ", which the schema registry does not know (written against another registry?)",
            e);
      }
      throw new SerializationException(
          "cannot fetch schema id " + id + " for a record on " + topic + ": " + e.getMessage(), e);
    }
    if (readerSchema == null) {
      return new GenericDatumReader<>(writer);
    }
    return new SpecificDatumReader<>(writer, readerSchema, specificData);
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }
}
