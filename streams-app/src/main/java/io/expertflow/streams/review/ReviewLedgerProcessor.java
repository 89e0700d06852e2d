package io.expertflow.streams.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the review ledger: every request's item ({@link ReviewTopology#ITEMS_STORE}), the queue
 * index of pending items in answer order ({@link ReviewTopology#QUEUE_STORE}) and the labels seen
 * per model ({@link ReviewTopology#LABELS_STORE}). An item whose response the rules approved or
 * blocked is deleted; a decided one loses its text and leaves the queue, and stays as a small
 * marker so that a late copy of its response cannot queue it again. Text of requests that never
 * reached review within {@code textRetention} (wall clock) is purged by a punctuator. One instance
 * per task; stream thread only.
 */
final class ReviewLedgerProcessor implements Processor<String, ReviewItem, Void, Void> {
  static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  private final Duration textRetention;
  private KeyValueStore<String, ReviewItem> items;
  private KeyValueStore<String, String> queue;
  private KeyValueStore<String, LabelSet> labels;

  ReviewLedgerProcessor(Duration textRetention) {
    this.textRetention = textRetention;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    items = context.getStateStore(ReviewTopology.ITEMS_STORE);
    queue = context.getStateStore(ReviewTopology.QUEUE_STORE);
    labels = context.getStateStore(ReviewTopology.LABELS_STORE);
    context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
  }

  @Override
  public void process(Record<String, ReviewItem> record) {
    String requestId = record.key();
    ReviewItem update = record.value();
    if (requestId == null || update == null) {
      return;
    }
    learnLabels(update);
    if (update.labelsOnly()) {
      return;
    }
    ReviewItem before = items.get(requestId);
    ReviewItem after = before == null ? update : before.mergedWith(update);
    if (before != null && before.pending()) {
      queue.delete(ReviewTopology.queueKey(before));
    }
    if (after.routedAway()) {
      items.delete(requestId);
      return;
    }
    if (after.decision() != null) {
      after = after.withoutText();
    }
    items.put(requestId, after);
    if (after.pending()) {
      queue.put(ReviewTopology.queueKey(after), requestId);
    }
  }

  private void learnLabels(ReviewItem update) {
    if (update.modelName() == null || update.labels() == null || update.labels().isEmpty()) {
      return;
    }
    LabelSet known = labels.get(update.modelName());
    TreeSet<String> all = new TreeSet<>(known == null ? List.of() : known.labels());
    boolean grew = false;
    for (ReviewItem.Scored s : update.labels()) {
      grew |= all.add(s.label());
    }
    if (grew) {
      labels.put(update.modelName(), new LabelSet(new ArrayList<>(all)));
    }
  }

  /** Drops the text of requests that were never sent to review and are older than retention. */
  private void purge(long now) {
    List<String> stale = new ArrayList<>();
    try (KeyValueIterator<String, ReviewItem> all = items.all()) {
      while (all.hasNext()) {
        KeyValue<String, ReviewItem> kv = all.next();
        ReviewItem item = kv.value;
        if (!item.inReview()
            && item.decision() == null
            && item.submittedAt() != null
            && item.submittedAt() < now - textRetention.toMillis()) {
          stale.add(kv.key);
        }
      }
    }
    stale.forEach(items::delete);
  }
}
