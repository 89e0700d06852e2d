package io.expertflow.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.SampleRecords;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldRoundTripEveryRecordTypeInTheWireFormat() {
    for (SpecificRecord record : SampleRecords.all()) {
      AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, false);
      AvroDeserializer deserializer = new AvroDeserializer(registry, record.getClass());
      String topic = "t." + record.getSchema().getName();

      byte[] bytes = serializer.serialize(topic, record);

      assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
      int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
      assertThat(registry.schemaById(id)).isEqualTo(record.getSchema());
      assertThat(registry.latest(topic + "-value")).isPresent();
      assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(record);
    }
  }

  @Test
  void shouldDecodeIntoGenericRecordsWithoutTheGeneratedClasses() {
    InferenceRequest request = SampleRecords.request("g1");
    byte[] bytes = new AvroSerializer<InferenceRequest>(registry, false).serialize("in", request);

    GenericRecord generic =
        (GenericRecord) new AvroDeserializer<>(registry, null).deserialize("in", bytes);

    assertThat(generic.get("request_id").toString()).isEqualTo("g1");
    assertThat(generic.getSchema().getFullName()).isEqualTo("io.expertflow.avro.InferenceRequest");
  }

  @Test
  void shouldReadAnOlderWriterSchemaByResolvingDefaults() {
    Schema v0 =
        SchemaBuilder.record("InferenceRequest")
            .namespace("io.expertflow.avro")
            .fields()
            .requiredString("request_id")
            .requiredString("document_id")
            .requiredString("tenant")
            .name("submitted_at")
            .type()
            .longType()
            .noDefault()
            .endRecord();
    GenericRecord old = new GenericData.Record(v0);
    old.put("request_id", "old-1");
    old.put("document_id", "d");
    old.put("tenant", "acme");
    old.put("submitted_at", 5L);
    byte[] bytes = new AvroSerializer<GenericRecord>(registry, false).serialize("in", old);

    InferenceRequest read =
        new AvroDeserializer<>(registry, InferenceRequest.class).deserialize("in", bytes);

    assertThat(read.getRequestId()).isEqualTo("old-1");
    assertThat(read.getTask()).isEqualTo("classify");
    assertThat(read.getText()).isNull();
  }

  @Test
  void shouldReadAReleasedV1RequestWithoutAJobIdAndLetV1ReadersIgnoreIt() throws Exception {
    Schema.Parser parser = new Schema.Parser();
    parser.parse(new java.io.File("src/main/avro/common.avsc"));
    Schema v1 = parser.parse(new java.io.File("src/main/avro/history/InferenceRequest/v1.avsc"));
    GenericRecord old = new GenericData.Record(v1);
    old.put("request_id", "v1-request");
    old.put("document_id", "d");
    old.put("tenant", "acme");
    old.put("task", "classify");
    old.put("priority", 0);
    old.put("submitted_at", 5L);
    old.put("attributes", java.util.Map.of());
    byte[] v1Bytes = new AvroSerializer<GenericRecord>(registry, false).serialize("in", old);

    InferenceRequest read =
        new AvroDeserializer<>(registry, InferenceRequest.class).deserialize("in", v1Bytes);

    assertThat(read.getRequestId()).isEqualTo("v1-request");
    assertThat(read.getJobId()).isNull();

    InferenceRequest withJob = SampleRecords.request("j1");
    withJob.setJobId("nightly-1a2b3c4d");
    byte[] v2Bytes = new AvroSerializer<InferenceRequest>(registry, false).serialize("in", withJob);
    org.apache.avro.io.BinaryDecoder decoder =
        org.apache.avro.io.DecoderFactory.get()
            .binaryDecoder(
                v2Bytes, WireFormat.HEADER_SIZE, v2Bytes.length - WireFormat.HEADER_SIZE, null);
    GenericRecord seenByV1 =
        new org.apache.avro.generic.GenericDatumReader<GenericRecord>(withJob.getSchema(), v1)
            .read(null, decoder);
    assertThat(seenByV1.get("request_id").toString()).isEqualTo("j1");
    assertThat(seenByV1.getSchema().getField("job_id")).isNull();
  }

  @Test
  void shouldRejectAWrongMagicByteAsUndecodable() {
    AvroDeserializer<InferenceRequest> d = new AvroDeserializer<>(registry, InferenceRequest.class);
    byte[] json = "{\"request_id\":\"x\"}".getBytes();

    assertThatThrownBy(() -> d.deserialize("in", json))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE))
        .hasMessageContaining("0x7b")
        .hasMessageContaining("magic byte");
  }

  @Test
  void shouldRejectAnUnknownSchemaId() {
    AvroDeserializer<InferenceRequest> d = new AvroDeserializer<>(registry, InferenceRequest.class);
    byte[] bytes = WireFormat.frame(9999, new byte[] {2, 'a'});

    assertThatThrownBy(() -> d.deserialize("in", bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA))
        .hasMessageContaining("9999");
  }

  @Test
  void shouldRejectATruncatedBody() {
    byte[] bytes =
        new AvroSerializer<InferenceRequest>(registry, false)
            .serialize("in", SampleRecords.request("t1"));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
    AvroDeserializer<InferenceRequest> d = new AvroDeserializer<>(registry, InferenceRequest.class);

    assertThatThrownBy(() -> d.deserialize("in", truncated))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE))
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldRejectAShortRecord() {
    AvroDeserializer<InferenceRequest> d = new AvroDeserializer<>(registry, InferenceRequest.class);

    assertThatThrownBy(() -> d.deserialize("in", new byte[] {0, 0}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("fewer than the 5-byte");
  }

  @Test
  void shouldRefuseToSerializeWhenAutoRegisterIsOffAndTheSchemaIsUnknown() {
    AvroSerializer<InferenceRequest> s = new AvroSerializer<>(registry, false);
    s.configure(java.util.Map.of(AvroSerializer.AUTO_REGISTER, "false"), false);

    assertThatThrownBy(() -> s.serialize("in", SampleRecords.request("x")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not registered under in-value");
  }
}
