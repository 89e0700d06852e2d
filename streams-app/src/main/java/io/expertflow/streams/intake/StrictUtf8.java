package io.expertflow.streams.intake;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Finds malformed UTF-8 in the strings of a wire-format record. Avro decodes malformed UTF-8 into
 * U+FFFD replacement characters, so the decoded request cannot tell; this re-reads the raw string
 * bytes with a strict decoder (which also refuses encoded surrogates). Intake calls it only when a
 * decoded string holds U+FFFD, so well-formed traffic pays nothing. Thread-safe.
 */
final class StrictUtf8 {
  private final SchemaRegistryClient registry;

  StrictUtf8(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /** Name of the first field whose bytes are not well-formed UTF-8, or empty. */
  Optional<String> malformedField(String topic, byte[] wire) {
    Schema writer = registry.schemaById(WireFormat.schemaId(topic, wire));
    Decoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                wire, WireFormat.HEADER_SIZE, wire.length - WireFormat.HEADER_SIZE, null);
    GenericRecord record;
    try {
      record = new RawStringReader(writer).read(null, decoder);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the typed decoder read it; nothing more to learn here
    }
    for (Schema.Field field : writer.getFields()) {
      if (!wellFormed(record.get(field.pos()))) {
        return Optional.of(field.name());
      }
    }
    return Optional.empty();
  }

  private static boolean wellFormed(Object value) {
    if (value instanceof Utf8 utf8) {
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(utf8.getBytes(), 0, utf8.getByteLength()));
        return true;
      } catch (CharacterCodingException e) {
        return false;
      }
    }
    if (value instanceof Collection<?> items) {
      return items.stream().allMatch(StrictUtf8::wellFormed);
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .allMatch(e -> wellFormed(e.getKey()) && wellFormed(e.getValue()));
    }
    return true;
  }

  /** Reads every string as raw {@link Utf8}, whatever Java string type the schema asks for. */
  private static final class RawStringReader extends GenericDatumReader<GenericRecord> {
    RawStringReader(Schema schema) {
      super(schema, schema, slowData());
    }

    // the fast reader (Avro's default) bypasses the readString override
    private static GenericData slowData() {
      GenericData data = new GenericData();
      data.setFastReaderEnabled(false);
      return data;
    }

    @Override
    protected Object readString(Object old, Schema expected, Decoder in) throws IOException {
      return in.readString(null);
    }

    @Override
    protected Object readMapKey(Object old, Schema expected, Decoder in) throws IOException {
      return in.readString(null);
    }
  }
}
