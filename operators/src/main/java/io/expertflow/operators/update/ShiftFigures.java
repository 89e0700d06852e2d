package io.expertflow.operators.update;

import java.util.List;
import java.util.Locale;

/**
 * What a distribution-shift scenario measured.
 *
 * @param newLabelBefore accuracy on the shifted documents held out of the feedback, before
 * @param newLabelAfter the same after the update (the candidate's, even if it was rejected)
 * @param guardBefore guard-set accuracy before
 * @param guardAfter guard-set accuracy after
 * @param parametersChanged scalars the update changed
 * @param parametersTotal the head's expert parameters
 * @param changedExperts experts whose tensors changed
 * @param unchangedExpertsIdentical whether every other expert is bit-identical
 * @param published whether the update passed its evaluation
 * @param reason the updater's verdict with its figures
 * @param versionId the candidate's version id
 */
public record ShiftFigures(
    double newLabelBefore,
    double newLabelAfter,
    double guardBefore,
    double guardAfter,
    long parametersChanged,
    long parametersTotal,
    List<Integer> changedExperts,
    boolean unchangedExpertsIdentical,
    boolean published,
    String reason,
    String versionId) {
  public ShiftFigures {
    changedExperts = List.copyOf(changedExperts);
  }

  public double changedShare() {
    return parametersTotal == 0 ? 0 : (double) parametersChanged / parametersTotal;
  }

  /** A one-paragraph summary for reports and logs. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "new label %.3f -> %.3f (%+.1f points); guard %.3f -> %.3f (%+.1f points); %d of %d"
            + " expert parameters changed (%.3f %%) in %d experts; unchanged experts"
            + " bit-identical: %s; %s",
        newLabelBefore,
        newLabelAfter,
        (newLabelAfter - newLabelBefore) * 100,
        guardBefore,
        guardAfter,
        (guardAfter - guardBefore) * 100,
        parametersChanged,
        parametersTotal,
        100 * changedShare(),
        changedExperts.size(),
        unchangedExpertsIdentical,
        published ? "published" : "rejected");
  }
}
