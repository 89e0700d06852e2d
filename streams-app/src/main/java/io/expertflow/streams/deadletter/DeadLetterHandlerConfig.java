package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetter;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.serde.AvroSerializer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the dead-letter exception handlers read from the Kafka Streams configuration. Immutable.
 *
 * @param topic topic dead letters are written to
 * @param deadLetters builder of the stage's dead letters
 * @param ownedTopics source topics whose undecodable records this application dead-letters; empty
 *     means every topic. Bad records of other topics are skipped with a log line, because the
 *     topology that owns the topic dead-letters them already.
 * @param serializer wire-format serializer of {@link DeadLetter} values
 */
public record DeadLetterHandlerConfig(
    String topic,
    DeadLetters deadLetters,
    Set<String> ownedTopics,
    Serializer<DeadLetter> serializer) {

  /** Dead-letter topic (required). */
  public static final String TOPIC = "expertflow.dead.letter.topic";

  /** Stage named in the dead letters; default {@value #DEFAULT_STAGE}. */
  public static final String STAGE = "expertflow.dead.letter.stage";

  /** Instance id named in the dead letters; default empty. */
  public static final String ORIGIN = "expertflow.dead.letter.origin";

  /** Comma-separated list (or collection) of owned source topics; default: all. */
  public static final String OWNED_TOPICS = "expertflow.dead.letter.owned.topics";

  /**
   * A {@code Serializer<DeadLetter>} instance to use; without it, one is built from the {@code
   * schema.registry.*} keys of the same configuration.
   */
  public static final String SERIALIZER = "expertflow.dead.letter.serializer";

  public static final String DEFAULT_STAGE = "streams";

  public DeadLetterHandlerConfig {
    ownedTopics = Set.copyOf(ownedTopics);
  }

  /** Whether bad records of {@code sourceTopic} are this application's to dead-letter. */
  public boolean owns(String sourceTopic) {
    return ownedTopics.isEmpty() || ownedTopics.contains(sourceTopic);
  }

  /**
   * Reads the handler keys from {@code configs}.
   *
   * @throws IllegalArgumentException when {@link #TOPIC} is missing or {@link #SERIALIZER} is not a
   *     serializer
   */
  @SuppressWarnings("unchecked")
  public static DeadLetterHandlerConfig from(Map<String, ?> configs) {
    Object topic = configs.get(TOPIC);
    if (topic == null || topic.toString().isBlank()) {
      throw new IllegalArgumentException(
          TOPIC + " is not set; the dead-letter handlers need the topic to write dead letters to");
    }
    Object stage = configs.get(STAGE);
    Object origin = configs.get(ORIGIN);
    DeadLetters deadLetters =
        new DeadLetters(
            stage == null ? DEFAULT_STAGE : stage.toString(),
            origin == null ? "" : origin.toString());
    Object serializer = configs.get(SERIALIZER);
    Serializer<DeadLetter> valueSerializer;
    if (serializer == null) {
      valueSerializer =
          new AvroSerializer<>(
              new HttpSchemaRegistryClient(SchemaRegistryConfig.fromProperties(configs)), false);
    } else if (serializer instanceof Serializer<?> s) {
      valueSerializer = (Serializer<DeadLetter>) s;
    } else {
      throw new IllegalArgumentException(
          SERIALIZER + " must be a Serializer<DeadLetter> instance, was " + serializer.getClass());
    }
    return new DeadLetterHandlerConfig(
        topic.toString(), deadLetters, owned(configs.get(OWNED_TOPICS)), valueSerializer);
  }

  private static Set<String> owned(Object value) {
    if (value == null) {
      return Set.of();
    }
    Collection<?> items =
        value instanceof Collection<?> c ? c : Arrays.asList(value.toString().split(","));
    return items.stream()
        .map(Object::toString)
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }
}
