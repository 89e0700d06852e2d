package io.expertflow.streams.feedback;

import io.expertflow.streams.deadletter.SourceRecordRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Feedback waiting for its response: when it was parked (wall-clock) and the source record as read,
 * so it can be attributed or dead-lettered later with its original bytes.
 */
record ParkedFeedback(long parkedAtMs, SourceRecordRef source) {

  /** Serde of the wait store: a small versioned binary layout. */
  static Serde<ParkedFeedback> serde() {
    return Serdes.serdeFrom(
        (topic, parked) -> parked == null ? null : write(parked),
        (topic, bytes) -> bytes == null ? null : read(bytes));
  }

  private static byte[] write(ParkedFeedback parked) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeLong(parked.parkedAtMs);
      out.writeUTF(parked.source.topic());
      out.writeInt(parked.source.partition());
      out.writeLong(parked.source.offset());
      writeBytes(out, parked.source.key());
      writeBytes(out, parked.source.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static ParkedFeedback read(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readByte();
      if (version != 1) {
        throw new IllegalStateException("unknown parked-feedback layout version " + version);
      }
      long parkedAt = in.readLong();
      SourceRecordRef source =
          new SourceRecordRef(
              in.readUTF(), in.readInt(), in.readLong(), readBytes(in), readBytes(in));
      return new ParkedFeedback(parkedAt, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value == null ? -1 : value.length);
    if (value != null) {
      out.write(value);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    return length < 0 ? null : in.readNBytes(length);
  }
}
