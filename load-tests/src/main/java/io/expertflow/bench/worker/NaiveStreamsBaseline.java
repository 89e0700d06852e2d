package io.expertflow.bench.worker;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.Analyzer;
import io.expertflow.model.TextAnalysis;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * What a user would write instead of expertflow: a Kafka Streams application that runs the same
 * bundle once per record in {@code mapValues}, exactly-once ({@code exactly_once_v2}), as the
 * public Kafka-Streams-plus-model examples do. Each record's document is tokenised, its chunks
 * embedded in one encoder call, folded and routed by the head ({@link Analyzer}); there is no
 * batching across documents. It writes a short text line per answer (top label and score), which is
 * cheaper than the worker's Avro response: the comparison errs in the baseline's favour.
 *
 * <p>Each timed run gets its own input topic with the same partitions as {@code requests}, filled
 * in one transaction beforehand ({@link PreloadedRequests}), and its own application id; it is
 * timed from {@code start()} to the moment the application's committed offsets cover every input
 * record (polled every 20 ms through the admin client, outside the application).
 */
final class NaiveStreamsBaseline {
  private final Map<String, Object> kafka;
  private final SchemaRegistryClient registry;
  private final Analyzer analyzer;
  private final String prefix;
  private final int partitions;
  private int runs;

  NaiveStreamsBaseline(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      Analyzer analyzer,
      String prefix,
      int partitions) {
    this.kafka = kafka;
    this.registry = registry;
    this.analyzer = analyzer;
    this.prefix = prefix;
    this.partitions = partitions;
  }

  /** One timed run of {@code texts} with {@code threads} stream threads; documents per second. */
  double run(List<String> texts, int threads, Duration timeout) throws Exception {
    int run = ++runs;
    String input = prefix + "naive-requests-" + run;
    String output = prefix + "naive-responses-" + run;
    String appId = prefix + "naive-" + run;
    try (Admin admin = Admin.create(kafka)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(input, partitions, (short) 1),
                  new NewTopic(output, partitions, (short) 1)))
          .all()
          .get();
      try (PreloadedRequests preload =
          new PreloadedRequests(kafka, registry, input, appId + "-preloader")) {
        preload.write(texts, appId);
        preload.commit();
      }
      Map<TopicPartition, Long> ends = ends(admin, input);
      AtomicLong processed = new AtomicLong();
      AvroDeserializer<InferenceRequest> requests =
          new AvroDeserializer<>(registry, InferenceRequest.class);
      StreamsBuilder builder = new StreamsBuilder();
      builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
          .mapValues(
              bytes -> {
                InferenceRequest request = requests.deserialize(input, bytes);
                TextAnalysis a = analyzer.analyze(List.of(request.getText().toString())).get(0);
                processed.incrementAndGet();
                TextAnalysis.LabelScore top = a.topLabels().get(0);
                return request.getRequestId() + "\t" + top.label() + "\t" + top.score();
              })
          .to(output, Produced.with(Serdes.String(), Serdes.String()));
      Properties p = new Properties();
      p.putAll(kafka);
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
      p.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/" + appId);
      p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
      long start = System.nanoTime();
      try (KafkaStreams streams = new KafkaStreams(builder.build(), p)) {
        streams.start();
        long deadline = start + timeout.toNanos();
        while (!committed(admin, appId, ends)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "the naive baseline processed "
                    + processed.get()
                    + " of "
                    + texts.size()
                    + " records within "
                    + timeout);
          }
          Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        streams.close(Duration.ofSeconds(30));
        if (processed.get() < texts.size()) {
          throw new IllegalStateException(
              "committed before processing every record: " + processed.get());
        }
        return texts.size() / seconds;
      }
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Whether the group's committed offsets reach every partition's end (the commit marker). */
  private static boolean committed(Admin admin, String group, Map<TopicPartition, Long> ends)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      // the transaction marker after the preloaded records takes one offset: the last data record
      // is at end - 2, and a consumer that has read it commits end - 1 or end
      OffsetAndMetadata o = offsets.get(e.getKey());
      if (e.getValue() > 1 && (o == null || o.offset() < e.getValue() - 1)) {
        return false;
      }
    }
    return true;
  }
}
