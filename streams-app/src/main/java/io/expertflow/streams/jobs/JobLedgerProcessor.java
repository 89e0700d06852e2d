package io.expertflow.streams.jobs;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps what is known of each request (store {@link JobTopology#REQUESTS_STORE}, keyed by request
 * id) and forwards, keyed by job id, only the change that an update makes to the request's
 * contribution to its job. A request delivered twice, a response redelivered, a routed copy of a
 * response all change nothing the second time. Updates that come before the request itself (so
 * before its job is known) wait in the store and count once the request arrives. Called by one
 * stream thread per task.
 */
final class JobLedgerProcessor implements Processor<String, JobRequest, String, JobCounts> {
  private ProcessorContext<String, JobCounts> context;
  private KeyValueStore<String, JobRequest> requests;

  @Override
  public void init(ProcessorContext<String, JobCounts> context) {
    this.context = context;
    this.requests = context.getStateStore(JobTopology.REQUESTS_STORE);
  }

  @Override
  public void process(Record<String, JobRequest> record) {
    String requestId = record.key();
    if (requestId == null || record.value() == null) {
      return;
    }
    JobRequest before = requests.get(requestId);
    JobRequest after = before == null ? record.value() : before.mergedWith(record.value());
    requests.put(requestId, after);
    if (after.jobId() == null) {
      return; // not (yet) known to belong to a job
    }
    JobCounts now = JobCounts.of(after);
    JobCounts change =
        before == null || before.jobId() == null ? now : now.minus(JobCounts.of(before));
    if (!change.movesNoCount()) {
      context.forward(record.withKey(after.jobId()).withValue(change));
    }
  }
}
