package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionCoverTest {
  @Test
  void shouldChooseRequestsWhoseExpertsReachEveryPartition() {
    Map<String, List<Integer>> experts = new LinkedHashMap<>();
    for (int r = 0; r < 64; r++) {
      experts.put("r" + r, List.of(r, r + 64));
    }

    List<String> chosen = PartitionCover.choose(experts, 6);

    BitSet reached = new BitSet();
    chosen.forEach(
        id -> experts.get(id).forEach(e -> reached.set(PartitionCover.partitionOf(e, 6))));
    assertThat(reached.cardinality()).isEqualTo(6);
    assertThat(chosen.size()).isLessThan(experts.size());
  }

  @Test
  void shouldMatchTheProducersDefaultPartitioner() {
    // murmur2 of the UTF-8 key "0", as Kafka's BuiltInPartitioner computes it
    assertThat(PartitionCover.partitionOf(0, 6))
        .isEqualTo(
            org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2("0".getBytes()))
                % 6);
  }

  @Test
  void shouldFallBackToEveryRequestWhenTheyCannotReachAllPartitions() {
    Map<String, List<Integer>> experts = new LinkedHashMap<>();
    experts.put("a", List.of(1));
    experts.put("b", List.of(1));

    assertThat(PartitionCover.choose(experts, 64)).containsExactly("a", "b");
  }
}
