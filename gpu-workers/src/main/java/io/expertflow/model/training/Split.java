package io.expertflow.model.training;

/** The part of the data a document belongs to. */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST
}
