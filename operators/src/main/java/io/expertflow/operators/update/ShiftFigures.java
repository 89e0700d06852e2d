package io.expertflow.operators.update;

import io.expertflow.operators.privacy.PrivacySpend;
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
 * @param privacy what the update spent when it trained privately, else {@code null}
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
    String versionId,
    PrivacySpend privacy) {
  public ShiftFigures {
    changedExperts = List.copyOf(changedExperts);
  }

  public double changedShare() {
    return parametersTotal == 0 ? 0 : (double) parametersChanged / parametersTotal;
  }

  /** A one-paragraph summary for reports and logs. */
  public String summary() {
    String figures =
        String.format(
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
    return privacy == null
        ? figures
        : figures
            + String.format(
                Locale.ROOT,
                "; private: epsilon %.2f at delta %.0e (noise multiplier %.2f, clip norm %.2f,"
                    + " sample rate %.2f, %d steps, %d users)",
                privacy.epsilon(),
                privacy.delta(),
                privacy.noiseMultiplier(),
                privacy.clipNorm(),
                privacy.sampleRate(),
                privacy.steps(),
                privacy.users().size());
  }
}
