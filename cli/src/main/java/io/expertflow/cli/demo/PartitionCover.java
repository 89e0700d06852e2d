package io.expertflow.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * Chooses responses whose feedback reaches every partition of {@code feedback.attributed}. Kafka
 * Streams keeps stream time per partition, so a weekly window closes on a partition only when a
 * later event arrives there; attributed feedback is keyed by expert id, so the experts of the rated
 * responses decide where it lands (the producer's default partitioner: murmur2 of the key).
 * Stateless.
 */
public final class PartitionCover {
  private PartitionCover() {}

  /** The partition of {@code feedback.attributed} that an expert's records go to. */
  public static int partitionOf(int expert, int partitions) {
    byte[] key = Integer.toString(expert).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /**
   * Request ids (in the map's order) whose experts together reach every partition, or all of them
   * when even all do not.
   *
   * @param expertsByRequest the experts of each answered request
   */
  public static List<String> choose(Map<String, List<Integer>> expertsByRequest, int partitions) {
    BitSet covered = new BitSet(partitions);
    List<String> chosen = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : expertsByRequest.entrySet()) {
      boolean adds = false;
      for (int expert : e.getValue()) {
        int p = partitionOf(expert, partitions);
        if (!covered.get(p)) {
          covered.set(p);
          adds = true;
        }
      }
      if (adds) {
        chosen.add(e.getKey());
      }
      if (covered.cardinality() == partitions) {
        return chosen;
      }
    }
    return new ArrayList<>(expertsByRequest.keySet());
  }
}
