package io.expertflow.streams.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Looks jobs up in the job application's store, as the request-status lookup does: {@link
 * KafkaStreams#queryMetadataForKey} names the instance that holds a job; a listing reads this
 * instance's partitions and names the other instances. Thread-safe.
 */
public final class KafkaStreamsJobLookup implements JobLookup {
  private final KafkaStreams streams;
  private final HostInfo self;

  /**
   * @param streams the running job application
   * @param self this instance's {@code application.server}
   */
  public KafkaStreamsJobLookup(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  @Override
  public Result find(String jobId) {
    KeyQueryMetadata meta;
    try {
      meta = streams.queryMetadataForKey(JobTopology.STORE, jobId, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      return new Unavailable("the job application is not running: " + e.getMessage());
    }
    if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
      return new Unavailable("the job store is rebalancing; retry shortly");
    }
    HostInfo owner = meta.activeHost();
    if (!owner.equals(self)) {
      return new Elsewhere(owner.host(), owner.port());
    }
    try {
      JobCounts job = store(meta.partition()).get(jobId);
      return job == null ? new Missing() : new Found(job);
    } catch (InvalidStateStoreException e) {
      return new Unavailable("the job store is not queryable now: " + e.getMessage());
    }
  }

  @Override
  public Local local() {
    List<JobCounts> jobs = new ArrayList<>();
    try (KeyValueIterator<String, JobCounts> all = store(null).all()) {
      all.forEachRemaining((KeyValue<String, JobCounts> kv) -> jobs.add(kv.value));
      return new Listed(jobs);
    } catch (InvalidStateStoreException | IllegalStateException e) {
      return new Unavailable("the job store is not queryable now: " + e.getMessage());
    }
  }

  @Override
  public List<String> others() {
    List<String> urls = new ArrayList<>();
    for (StreamsMetadata m : streams.streamsMetadataForStore(JobTopology.STORE)) {
      if (!m.hostInfo().equals(self)) {
        urls.add("http://" + m.hostInfo().host() + ":" + m.hostInfo().port());
      }
    }
    return urls;
  }

  private ReadOnlyKeyValueStore<String, JobCounts> store(Integer partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, JobCounts>> params =
        StoreQueryParameters.fromNameAndType(
            JobTopology.STORE, QueryableStoreTypes.<String, JobCounts>keyValueStore());
    return streams.store(partition == null ? params : params.withPartition(partition));
  }
}
