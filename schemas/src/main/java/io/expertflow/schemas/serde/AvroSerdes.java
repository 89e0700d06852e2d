package io.expertflow.schemas.serde;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Factory of wire-format Avro serdes bound to one registry client. */
public final class AvroSerdes {
  private AvroSerdes() {}

  /** A value serde for a generated record type. */
  public static <T extends SpecificRecord> Serde<T> value(
      Class<T> type, SchemaRegistryClient registry) {
    return Serdes.serdeFrom(
        new AvroSerializer<>(registry, false), new AvroDeserializer<>(registry, type));
  }

  /** A value serde for generic records of any schema. */
  public static Serde<GenericRecord> genericValue(SchemaRegistryClient registry) {
    return Serdes.serdeFrom(
        new AvroSerializer<>(registry, false), new AvroDeserializer<>(registry, null));
  }
}
