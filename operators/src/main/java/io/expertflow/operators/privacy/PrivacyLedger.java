package io.expertflow.operators.privacy;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Each feedback user's total RDP: the sum, order by order, of the RDP of every update that trained
 * on the user's feedback (composition). The updater rebuilds it from the version history, where
 * every private update's record (published or rejected: a rejected update trained too) names its
 * users and its RDP, so it needs no state of its own. Immutable; thread-safe.
 */
public final class PrivacyLedger {
  private static final PrivacyLedger EMPTY = new PrivacyLedger(Map.of());

  private final Map<String, double[]> byUser;

  private PrivacyLedger(Map<String, double[]> byUser) {
    this.byUser = byUser;
  }

  public static PrivacyLedger empty() {
    return EMPTY;
  }

  /** The ledger of these spends (each counted once, whatever the order). */
  public static PrivacyLedger of(Collection<PrivacySpend> spends) {
    PrivacyLedger ledger = EMPTY;
    for (PrivacySpend s : spends) {
      ledger = ledger.plus(s);
    }
    return ledger;
  }

  /** This ledger with {@code spend} added to each of its users. */
  public PrivacyLedger plus(PrivacySpend spend) {
    Objects.requireNonNull(spend, "spend");
    return plus(spend.users(), spend.rdp());
  }

  /** This ledger with {@code rdp} added to each of {@code userHashes}. */
  public PrivacyLedger plus(Collection<String> userHashes, double[] rdp) {
    Map<String, double[]> next = new HashMap<>(byUser);
    for (String user : userHashes) {
      next.merge(user, rdp.clone(), RdpAccountant::compose);
    }
    return new PrivacyLedger(Map.copyOf(next));
  }

  /** A user's total RDP (zero for a user no update trained on). */
  public double[] rdp(String userHash) {
    double[] r = byUser.get(userHash);
    return r == null ? RdpAccountant.zero() : r.clone();
  }

  /** A user's total epsilon at {@code delta} (0 for a user no update trained on). */
  public double epsilon(String userHash, double delta) {
    double[] r = byUser.get(userHash);
    return r == null ? 0 : RdpAccountant.epsilon(r, delta);
  }

  /** Users with a spend. */
  public int users() {
    return byUser.size();
  }
}
