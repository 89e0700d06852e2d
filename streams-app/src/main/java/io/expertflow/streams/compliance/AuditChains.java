package io.expertflow.streams.compliance;

import io.expertflow.avro.AuditRecord;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The audit chains: one per partition of {@code responses}, so one task owns each chain and keeps
 * its head (last sequence and digest) in a changelogged store that commits with the records it
 * writes (exactly-once). Every record of chain {@code responses-<p>} goes to audit partition {@code
 * p mod <audit partitions>}, so a chain reads back in order from one partition. Stateless.
 */
final class AuditChains {
  /** The store of chain heads: chain id to {@link io.expertflow.operators.audit.AuditChainHead}. */
  static final String STORE = "audit-chain-heads";

  private static final String PREFIX = "responses-";

  private AuditChains() {}

  /** The chain of responses partition {@code partition}. */
  static String chainOf(int partition) {
    return PREFIX + partition;
  }

  /** The store builder: chain id to the 40-byte stored head, logged to a changelog topic. */
  static StoreBuilder<KeyValueStore<String, byte[]>> store() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray());
  }

  /**
   * Places signed records on the partition of their chain; unsigned ones (signing off) by key, as
   * the default partitioner does.
   */
  static StreamPartitioner<String, SpecificRecord> partitioner() {
    return (topic, key, value, numPartitions) -> {
      if (value instanceof AuditRecord audit && audit.getChain() != null) {
        String chain = audit.getChain();
        if (chain.startsWith(PREFIX)) {
          int responsesPartition = Integer.parseInt(chain.substring(PREFIX.length()));
          return Optional.of(Set.of(responsesPartition % numPartitions));
        }
      }
      return Optional.empty();
    };
  }
}
