package io.expertflow.schemas.serde;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.slf4j.LoggerFactory;

/**
 * Bounds on what one Avro record may ask the decoder to allocate. Avro reads a string's, a byte
 * array's or a collection's length from the record and allocates it before reading the contents, up
 * to about 2 GiB by default: a 25-byte record that claims a 1 GiB string made a consumer allocate 1
 * GiB (found by {@code WireFormatFuzzTest}). These defaults keep every allocation near the size of
 * a record Kafka can carry; a record that claims more is dead-lettered {@code UNDECODABLE}.
 *
 * <p>Avro reads the limits from system properties when its {@code SystemLimitException} class is
 * first used, which may be before this class runs (Avro checks string lengths when it encodes too).
 * So the properties are set here unless the user has set them ({@code
 * -Dorg.apache.avro.limits...}), and Avro is asked to read them again through its package-private
 * {@code resetLimits()}; if that method cannot be reached, the properties still apply in any JVM
 * that sets them before Avro runs, and a warning says so.
 */
final class AvroLimits {
  /** Longest string or byte array in a record: 16 MiB, 16 times Kafka's default record limit. */
  static final int MAX_BYTES = 16 << 20;

  /** Most items in one array or map: a million (a document's chunks, a response's labels). */
  static final int MAX_COLLECTION_ITEMS = 1_000_000;

  private AvroLimits() {}

  /** Sets each limit the user has not set and makes Avro read the limits again. */
  static synchronized void install() {
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_BYTES);
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LoggerFactory.getLogger(AvroLimits.class)
          .warn(
              "Avro's size limits could not be reloaded ({}); set -D{}={} and the other"
                  + " org.apache.avro.limits properties on the command line",
              e.toString(),
              SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
              MAX_BYTES);
    }
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }
}
