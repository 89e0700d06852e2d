package io.expertflow.versions;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.avro.PrivacyCost;
import io.expertflow.operators.privacy.PrivacyLedger;
import io.expertflow.operators.privacy.PrivacySpend;
import io.expertflow.operators.privacy.RdpAccountant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The privacy cost a version record carries ({@link PrivacyCost}), and each feedback user's total
 * rebuilt from the version history: the durable state of the privacy accountant is the history
 * itself, so the updater keeps none of its own. Stateless.
 */
public final class PrivacyRecords {
  private PrivacyRecords() {}

  /** The record of what an update spent. */
  public static PrivacyCost of(PrivacySpend spend) {
    List<Double> orders = new ArrayList<>();
    for (double o : RdpAccountant.orders()) {
      orders.add(o);
    }
    List<Double> rdp = new ArrayList<>();
    for (double r : spend.rdp()) {
      rdp.add(r);
    }
    return PrivacyCost.newBuilder()
        .setNoiseMultiplier(spend.noiseMultiplier())
        .setClipNorm(spend.clipNorm())
        .setSampleRate(spend.sampleRate())
        .setSteps(spend.steps())
        .setEpsilon(spend.epsilon())
        .setDelta(spend.delta())
        .setUsersCount(spend.users().size())
        .setMaxUserEpsilon(spend.maxUserEpsilon())
        .setUserHashes(new ArrayList<>(spend.users()))
        .setRdpOrders(orders)
        .setRdp(rdp)
        .build();
  }

  /** What a recorded update spent, its RDP at this accountant's orders. */
  public static PrivacySpend spend(PrivacyCost cost) {
    return new PrivacySpend(
        cost.getNoiseMultiplier(),
        cost.getClipNorm(),
        cost.getSampleRate(),
        cost.getSteps(),
        cost.getDelta(),
        rdpAtOrders(cost.getRdpOrders(), cost.getRdp()),
        cost.getEpsilon(),
        cost.getUserHashes().stream().map(CharSequence::toString).toList(),
        cost.getMaxUserEpsilon());
  }

  /**
   * Each user's total over the history: every update record with a privacy cost, PUBLISHED or
   * REJECTED (both trained), each version once; ROLLBACK records repeat an earlier version's and
   * spend nothing.
   */
  public static PrivacyLedger ledger(Collection<ModelVersion> history) {
    Map<String, PrivacySpend> byVersion = new TreeMap<>();
    for (ModelVersion v : history) {
      if (v.getPrivacy() != null && v.getState() != ModelVersionState.ROLLBACK) {
        byVersion.put(v.getVersion().toString(), spend(v.getPrivacy()));
      }
    }
    return PrivacyLedger.of(byVersion.values());
  }

  /**
   * The recorded RDP at each of this accountant's orders. RDP does not decrease with the order, so
   * an order the record lacks takes the value of the next larger recorded one (an upper bound), or
   * infinity if there is none: a record written with other orders is never under-counted.
   */
  static double[] rdpAtOrders(List<Double> orders, List<Double> rdp) {
    if (orders.size() != rdp.size()) {
      throw new IllegalArgumentException(
          "a privacy record has " + orders.size() + " orders but " + rdp.size() + " RDP values");
    }
    double[] wanted = RdpAccountant.orders();
    double[] out = new double[wanted.length];
    for (int i = 0; i < wanted.length; i++) {
      double best = Double.POSITIVE_INFINITY;
      double bestOrder = Double.POSITIVE_INFINITY;
      for (int j = 0; j < orders.size(); j++) {
        if (orders.get(j) >= wanted[i] && orders.get(j) < bestOrder) {
          bestOrder = orders.get(j);
          best = rdp.get(j);
        }
      }
      out[i] = best;
    }
    return out;
  }
}
