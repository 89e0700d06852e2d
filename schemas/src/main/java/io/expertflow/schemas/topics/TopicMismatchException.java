package io.expertflow.schemas.topics;

import java.util.List;
import java.util.stream.Collectors;

/** Existing topics differ from their specs in a way that provisioning will not change. */
public final class TopicMismatchException extends TopicProvisioningException {

  private final transient List<TopicMismatch> mismatches;

  public TopicMismatchException(List<TopicMismatch> mismatches) {
    super(message(mismatches));
    this.mismatches = List.copyOf(mismatches);
  }

  /** Every difference found, not only the first. */
  public List<TopicMismatch> mismatches() {
    return mismatches;
  }

  private static String message(List<TopicMismatch> mismatches) {
    return "Existing topics differ from the topic catalog: "
        + mismatches.stream().map(TopicMismatch::toString).collect(Collectors.joining("; "))
        + ". Delete and recreate these topics (their data is lost), or configure the catalog to"
        + " match them; partitions are never changed automatically because that moves keys"
        + " to other partitions.";
  }
}
