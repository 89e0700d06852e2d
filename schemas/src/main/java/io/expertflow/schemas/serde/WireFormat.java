package io.expertflow.schemas.serde;

import io.expertflow.avro.DeadLetterReason;
import java.nio.ByteBuffer;

/** The Confluent wire format's five-byte header: magic byte 0 and a big-endian schema id. */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The header for {@code schemaId}, followed by {@code body}. */
  public static byte[] frame(int schemaId, byte[] body) {
    return ByteBuffer.allocate(HEADER_SIZE + body.length)
        .put(MAGIC_BYTE)
        .putInt(schemaId)
        .put(body)
        .array();
  }

  /**
   * The schema id in {@code data}'s header.
   *
   * @throws WireFormatException when the record is too short or its first byte is not 0
   */
  public static int schemaId(String topic, byte[] data) {
    if (data.length < HEADER_SIZE) {
      throw new WireFormatException(
          DeadLetterReason.UNDECODABLE,
          "record on "
              + topic
              + " has "
              + data.length
              + " bytes, fewer than the 5-byte wire-format header; it was not written by an Avro"
              + " wire-format serializer",
          null);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new WireFormatException(
          DeadLetterReason.UNDECODABLE,
          String.format(
              "record on %s starts with byte 0x%02x, expected the wire-format magic byte 0x00; it"
                  + " was not written by an Avro wire-format serializer (plain JSON or text?)",
              topic, data[0] & 0xff),
          null);
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
