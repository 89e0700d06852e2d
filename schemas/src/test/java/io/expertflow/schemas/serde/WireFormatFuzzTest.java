package io.expertflow.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.SampleRecords;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of what any client can put on a topic: random bytes, random bodies behind a valid header,
 * and valid records of every type with bytes flipped, cut, inserted or overwritten with large
 * varints. Every input must end as a decoded record or a {@link WireFormatException} (a dead letter
 * with a reason) within seconds and without allocating more than 64 MiB: no other exception, no
 * out-of-memory, no hang.
 *
 * <p>Inputs come from a seeded random source: {@code -Dexpertflow.fuzz.tries=N} (default {@value
 * #DEFAULT_TRIES} per case) and {@code -Dexpertflow.fuzz.seed=S} (default fixed, so a build is
 * repeatable); a failure names the seed and the try, which replays it.
 */
class WireFormatFuzzTest {
  /** Far above any honest decode (microseconds), far below a hang; generous for a busy machine. */
  private static final Duration LIMIT = Duration.ofSeconds(10);

  static final int DEFAULT_TRIES = 2000;

  /**
   * Most a decode may allocate, whatever the input: a bad record must not make a consumer allocate
   * what its length fields claim (up to 2 GiB before {@link AvroLimits}).
   */
  private static final long MAX_ALLOCATION = 64L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int TRIES = Integer.getInteger("expertflow.fuzz.tries", DEFAULT_TRIES);
  private static final long SEED = Long.getLong("expertflow.fuzz.seed", 20261204L);

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final List<SpecificRecord> samples = SampleRecords.all();
  private final List<byte[]> encoded = new ArrayList<>();
  private final List<AvroDeserializer<?>> readers = new ArrayList<>();

  WireFormatFuzzTest() {
    assertThat(samples.get(0)).isInstanceOf(InferenceRequest.class);
    for (SpecificRecord record : samples) {
      String topic = topic(record);
      encoded.add(new AvroSerializer<SpecificRecord>(registry, false).serialize(topic, record));
      readers.add(new AvroDeserializer<>(registry, record.getClass()));
    }
  }

  @Test
  void shouldDeadLetterOrDecodeAnyBytes() {
    fuzz(
        1,
        (random, type) -> {
          byte[] bytes = new byte[random.nextInt(64)];
          random.nextBytes(bytes);
          return bytes;
        });
  }

  @Test
  void shouldDeadLetterOrDecodeAnyBodyBehindAValidHeader() {
    fuzz(
        2,
        (random, type) -> {
          byte[] bytes = new byte[WireFormat.HEADER_SIZE + random.nextInt(64)];
          random.nextBytes(bytes);
          System.arraycopy(encoded.get(type), 0, bytes, 0, WireFormat.HEADER_SIZE);
          return bytes;
        });
  }

  @Test
  void shouldDeadLetterOrDecodeMutatedRecords() {
    fuzz(3, (random, type) -> mutate(encoded.get(type), random));
  }

  /** Makes one input for a record type from the random source. */
  private interface InputMaker {
    byte[] make(Random random, int type);
  }

  private void fuzz(int stream, InputMaker maker) {
    Random random = new Random(SEED * 31 + stream);
    for (int t = 0; t < TRIES; t++) {
      int type = random.nextInt(samples.size());
      byte[] bytes = maker.make(random, type);
      String replay = "seed " + SEED + ", try " + t;
      assertDecodesOrDeadLetters(type, bytes, replay);
    }
  }

  @Test
  void shouldDeadLetterARecordThatClaimsAHugeStringWithoutAllocatingIt() {
    // the header of a request, then a request_id whose length is 2^30 bytes
    byte[] bytes = Arrays.copyOf(encoded.get(0), WireFormat.HEADER_SIZE + 5);
    byte[] length = zigZagVarint(1L << 30);
    System.arraycopy(length, 0, bytes, WireFormat.HEADER_SIZE, length.length);

    assertThatThrownBy(() -> readers.get(0).deserialize("fuzz.InferenceRequest", bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE))
        .hasMessageContaining("String length 1073741824 exceeds maximum allowed");
  }

  @Test
  void shouldDeadLetterARecordThatClaimsTooManyItems() {
    AvroDeserializer<?> reader = readers.get(0);
    // an InferenceRequest: three empty strings, text null, then chunks = array of 2^30 items
    byte[] body = {0, 0, 0, 0, 2};
    byte[] count = zigZagVarint(1L << 30);
    byte[] bytes = new byte[WireFormat.HEADER_SIZE + body.length + count.length];
    System.arraycopy(encoded.get(0), 0, bytes, 0, WireFormat.HEADER_SIZE);
    System.arraycopy(body, 0, bytes, WireFormat.HEADER_SIZE, body.length);
    System.arraycopy(count, 0, bytes, WireFormat.HEADER_SIZE + body.length, count.length);

    assertThatThrownBy(() -> reader.deserialize("fuzz.InferenceRequest", bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE))
        .hasMessageContaining(
            "Collection length 1073741824 exceeds the maximum allowed of 1000000");
  }

  private void assertDecodesOrDeadLetters(int type, byte[] bytes, String replay) {
    String topic = topic(samples.get(type));
    AvroDeserializer<?> reader = readers.get(type);
    Throwable thrown =
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              long before = THREADS.getCurrentThreadAllocatedBytes();
              try {
                reader.deserialize(topic, bytes);
              } catch (WireFormatException e) {
                assertThat(e.reason()).isNotNull();
                assertThat(e.getMessage()).contains(topic);
              } catch (Throwable other) {
                return other;
              }
              long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
              return allocated <= MAX_ALLOCATION
                  ? null
                  : new AssertionError(
                      "decoding " + bytes.length + " bytes allocated " + allocated + " bytes");
            },
            () ->
                "decoding "
                    + bytes.length
                    + " bytes did not end within "
                    + LIMIT
                    + " ("
                    + replay
                    + ")");
    assertThat(thrown)
        .as(
            "only a WireFormatException may leave the deserializer (%s); input %s",
            replay, hex(bytes))
        .isNull();
  }

  /** One to four mutations of a valid encoding; the header is kept half of the time. */
  static byte[] mutate(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    int from = random.nextBoolean() ? WireFormat.HEADER_SIZE : 0;
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && bytes.length > from; m++) {
      int at = from + random.nextInt(bytes.length - from);
      switch (random.nextInt(5)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes = Arrays.copyOf(bytes, at); // cut short
        case 2 -> { // a byte inserted
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
        case 3 -> { // a large or negative varint where a length or count may stand
          long value = random.nextBoolean() ? Long.MAX_VALUE >> random.nextInt(40) : -1;
          byte[] varint = zigZagVarint(value);
          byte[] spliced = Arrays.copyOf(bytes, Math.max(bytes.length, at + varint.length));
          System.arraycopy(varint, 0, spliced, at, varint.length);
          bytes = spliced;
        }
        default -> bytes[at] ^= (byte) (1 << random.nextInt(8)); // one bit flipped
      }
    }
    return bytes;
  }

  private static byte[] zigZagVarint(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteBuffer out = ByteBuffer.allocate(10);
    while ((n & ~0x7FL) != 0) {
      out.put((byte) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.put((byte) n);
    return Arrays.copyOf(out.array(), out.position());
  }

  private static String topic(SpecificRecord record) {
    return "fuzz." + record.getSchema().getName();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 64); i++) {
      s.append(String.format("%02x", bytes[i]));
    }
    return bytes.length > 64 ? s + "... (" + bytes.length + " bytes)" : s.toString();
  }
}
