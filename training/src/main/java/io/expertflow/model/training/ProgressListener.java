package io.expertflow.model.training;

/**
 * Receives user-facing progress of a training run. Called on the thread that runs the pipeline;
 * implementations must be quick. Never receives document text.
 */
public interface ProgressListener {

  /** A new stage begins (e.g. "corpora", "embedding", "training"). */
  void stage(String name);

  /** {@code done} of {@code total} units of the current stage are finished. */
  void progress(String stage, long done, long total);

  /** A one-line note for the user. */
  void info(String message);

  /** A listener that ignores everything. */
  static ProgressListener silent() {
    return notes(message -> {});
  }

  /** A listener that hands every one-line note to {@code notes} and ignores stages and progress. */
  static ProgressListener notes(java.util.function.Consumer<String> notes) {
    return new ProgressListener() {
      @Override
      public void stage(String name) {}

      @Override
      public void progress(String stage, long done, long total) {}

      @Override
      public void info(String message) {
        notes.accept(message);
      }
    };
  }
}
