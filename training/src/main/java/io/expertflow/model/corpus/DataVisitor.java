package io.expertflow.model.corpus;

/** Receives what a data reader finds, record by record, in file order. One thread. */
public interface DataVisitor {

  /** A record with a text and a label field (either may be blank). */
  void record(DataRecord record);

  /** A problem that made the reader skip a line, a record or a file. */
  void problem(DataProblem problem);
}
