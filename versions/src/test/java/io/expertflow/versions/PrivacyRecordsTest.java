package io.expertflow.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.privacy.FeedbackUsers;
import io.expertflow.operators.privacy.PrivacySpend;
import io.expertflow.operators.privacy.RdpAccountant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class PrivacyRecordsTest {
  private static final String ALICE = FeedbackUsers.hash("alice");
  private static final String BOB = FeedbackUsers.hash("bob");

  @Test
  void shouldCarryThePrivacyCostThroughAvroUnchanged() throws IOException {
    PrivacySpend spend = spend(400, ALICE, BOB);

    ModelVersion back = roundTrip(version("u1", ModelVersionState.PUBLISHED, spend));

    assertThat(PrivacyRecords.spend(back.getPrivacy())).isEqualTo(spend);
    assertThat(back.getPrivacy().getUsersCount()).isEqualTo(2);
    assertThat(back.getPrivacy().getRdpOrders()).hasSize(RdpAccountant.orders().length);
  }

  @Test
  void shouldReadAVersionWithoutPrivacyAsNull() throws IOException {
    assertThat(roundTrip(version("u1", ModelVersionState.PUBLISHED, null)).getPrivacy()).isNull();
  }

  @Test
  void shouldAddUpEachUsersSpendOverTheHistoryCountingRejectedUpdatesAndNotRollbacks() {
    PrivacySpend week1 = spend(400, ALICE, BOB);
    PrivacySpend week2 = spend(400, ALICE);
    ModelVersion first = version("u1", ModelVersionState.PUBLISHED, week1);
    ModelVersion rejected = version("u2", ModelVersionState.REJECTED, week2);
    ModelVersion rollback =
        ModelVersionRecords.rollback(first, "u2", "bad week", Instant.EPOCH.plusSeconds(9));

    var ledger = PrivacyRecords.ledger(List.of(first, rejected, rollback, first));

    double[] both = RdpAccountant.compose(week1.rdp(), week2.rdp());
    assertThat(ledger.epsilon(ALICE, 1e-5))
        .isCloseTo(RdpAccountant.epsilon(both, 1e-5), within(1e-9));
    assertThat(ledger.epsilon(BOB, 1e-5))
        .isCloseTo(RdpAccountant.epsilon(week1.rdp(), 1e-5), within(1e-9));
  }

  @Test
  void shouldNeverUnderCountARecordWrittenWithOtherOrders() {
    // a record that knows only orders 3 and 100: order 2 takes 3's value, 4..64 take 100's
    double[] read = PrivacyRecords.rdpAtOrders(List.of(3.0, 100.0), List.of(0.5, 7.0));
    double[] orders = RdpAccountant.orders();

    assertThat(read[0]).isEqualTo(0.5);
    assertThat(read[1]).isEqualTo(0.5);
    assertThat(read[2]).isEqualTo(7.0);
    assertThat(read[orders.length - 1]).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void shouldPrintThePrivacyCostInTheSummaryLine() {
    ModelVersion v = version("u1", ModelVersionState.PUBLISHED, spend(400, ALICE, BOB));

    assertThat(VersionSummary.line(v))
        .contains(
            String.format(
                java.util.Locale.ROOT,
                ", private: epsilon %.2f at delta 1e-05 (noise 2.00, clip 1.00, sample rate 0.100,"
                    + " 400 steps, 2 users, highest user total %.2f)",
                v.getPrivacy().getEpsilon(),
                v.getPrivacy().getMaxUserEpsilon()));
  }

  private static PrivacySpend spend(long steps, String... users) {
    double[] rdp = RdpAccountant.rdp(0.1, 2.0, steps);
    double eps = RdpAccountant.epsilon(rdp, 1e-5);
    return new PrivacySpend(2.0, 1.0, 0.1, steps, 1e-5, rdp, eps, List.of(users), eps);
  }

  private static ModelVersion version(String id, ModelVersionState state, PrivacySpend spend) {
    return ModelVersion.newBuilder()
        .setModelName("m")
        .setVersion(id)
        .setParentVersion("base-1")
        .setBaseBundleSha256("sha")
        .setState(state)
        .setPrivacy(spend == null ? null : PrivacyRecords.of(spend))
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  private static ModelVersion roundTrip(ModelVersion v) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(ModelVersion.class).write(v, encoder);
    encoder.flush();
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
    return new SpecificDatumReader<>(ModelVersion.class).read(null, decoder);
  }
}
