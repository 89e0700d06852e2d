package io.expertflow.model.corpus;

/** Training data that failed its checks; the message lists the problems with their places. */
public class DataCheckException extends IllegalArgumentException {
  private final transient DataInspection inspection;

  public DataCheckException(String what, DataInspection inspection) {
    super(what + " failed its checks:" + System.lineSeparator() + inspection.describe());
    this.inspection = inspection;
  }

  public DataInspection inspection() {
    return inspection;
  }
}
