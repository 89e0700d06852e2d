package io.expertflow.schemas.topics;

/** Where one topic of the catalogue stands on a cluster. */
public enum TopicStatus {
  /** The topic does not exist: it would be created. */
  CREATE,
  /** The topic exists and matches its spec. */
  OK,
  /** The topic exists and differs from its spec; nothing changes it automatically. */
  DIFFERS;

  /** The word shown in a plan, for example {@code create}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
