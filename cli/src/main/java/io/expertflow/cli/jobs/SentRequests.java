package io.expertflow.cli.jobs;

import io.expertflow.streams.jobs.export.TopicScan;
import java.time.Duration;
import java.util.Map;

/**
 * The requests of a job that an earlier submission already wrote to the intake topic, read from the
 * topic itself (every partition, start to end, keys only; no consumer group), so a resubmission
 * sends only what is missing. This is a saving, not the guarantee: a request sent twice anyway (two
 * submissions at once) is the same request id, which intake rejects as a duplicate and the job
 * topology counts once. One thread.
 */
public final class SentRequests {
  private SentRequests() {}

  /**
   * Fingerprints ({@link JobIds#fingerprint}) of the keys on {@code topic} that belong to {@code
   * jobId}.
   *
   * @param clientProperties Kafka client properties (bootstrap servers, security)
   * @param timeout how long reading may take before giving up
   */
  public static FingerprintSet of(
      Map<String, Object> clientProperties, String topic, String jobId, Duration timeout) {
    FingerprintSet sent = new FingerprintSet();
    TopicScan.read(
        clientProperties,
        topic,
        timeout,
        r -> {
          if (JobIds.belongs(r.key(), jobId)) {
            sent.add(JobIds.fingerprint(r.key()));
          }
        });
    return sent.freeze();
  }
}
