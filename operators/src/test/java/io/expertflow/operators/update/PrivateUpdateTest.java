package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.privacy.FeedbackUsers;
import io.expertflow.operators.privacy.PrivacyLedger;
import io.expertflow.operators.privacy.PrivacySpend;
import io.expertflow.operators.privacy.RdpAccountant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrivateUpdateTest {
  private static final SelectionConfig SELECTION =
      SelectionConfig.defaults().withParameterBudgetShare(0.05);
  private static final DpConfig DP = DpConfig.defaults().withNoiseSeed(7L);

  private static ShiftFixture fixture;

  @BeforeAll
  static void trainHead() {
    fixture = ShiftFixture.create();
  }

  @Test
  void shouldRecordWhatThePrivateUpdateSpentOnEachUser() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");

    UpdateResult result = update(DP, feedback, PrivacyLedger.empty());

    PrivacySpend spend = result.privacy();
    assertThat(spend).as(result.reason()).isNotNull();
    // every simulated document has a user of its own; the update trains on the non-held-out half
    assertThat(spend.users()).hasSize(result.trainingFeedback());
    assertThat(spend.steps()).isPositive();
    assertThat(spend.epsilon())
        .isCloseTo(RdpAccountant.epsilon(spend.rdp(), DP.delta()), within(1e-12));
    assertThat(spend.maxUserEpsilon()).isCloseTo(spend.epsilon(), within(1e-9));
    assertThat(result.reason()).contains("private: epsilon");
  }

  @Test
  void shouldAccountThePerExpertStageAsDpSgdAtBatchOverUnits() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    UpdateConfig config = UpdateConfig.defaults().withSharedRows(false).withDp(DP);

    UpdateResult result = update(config, feedback, PrivacyLedger.empty());

    // one unit per user (one sample each here) and one per replayed sample
    int units = result.trainingFeedback() + result.trainingReplay();
    double q = (double) config.batchSize() / units;
    long steps = (long) config.epochs() * (long) Math.ceil(units / (double) config.batchSize());
    PrivacySpend spend = result.privacy();
    assertThat(spend.steps()).isEqualTo(steps);
    assertThat(spend.sampleRate()).isEqualTo(q);
    assertThat(spend.rdp())
        .containsExactly(RdpAccountant.rdp(q, DP.noiseMultiplier(), steps), within(1e-9));
  }

  @Test
  void shouldTrainWithoutPrivacyWhenItIsOff() {
    UpdateResult result =
        update(
            DpConfig.disabled(), fixture.feedback(fixture.shifted, "fb-"), PrivacyLedger.empty());

    assertThat(result.privacy()).isNull();
    assertThat(result.reason()).doesNotContain("private");
  }

  @Test
  void shouldStillLetTheGuardRejectAPrivateUpdate() {
    Random random = new Random(5);
    List<LabeledEmbedding> shuffled = new ArrayList<>();
    for (LabeledEmbedding s : fixture.guard.samples().subList(0, 120)) {
      shuffled.add(new LabeledEmbedding(s.embedding(), random.nextInt(ShiftFixture.LABELS.size())));
    }

    UpdateResult result =
        update(
            DP.withNoiseMultiplier(0.3).withMaxEpsilon(Double.POSITIVE_INFINITY),
            fixture.feedback(shuffled, "sh-"),
            PrivacyLedger.empty());

    assertThat(result.plan().chosen()).isNotEmpty();
    assertThat(result.publish()).isFalse();
    assertThat(result.reason()).startsWith("rejected");
    // it trained, so it spent privacy even though nothing is served
    assertThat(result.privacy().users()).isNotEmpty();
  }

  @Test
  void shouldPublishNothingThatCostsTheGuardSetWhateverTheNoise() {
    // noise 100 times the clip norm swamps the feedback: the shared-row candidates and the
    // chosen experts move at random; whatever is published must keep the guard set within bound
    for (double sigma : new double[] {0.5, 100}) {
      UpdateResult result =
          update(
              DP.withNoiseMultiplier(sigma).withMaxEpsilon(Double.POSITIVE_INFINITY),
              fixture.feedback(fixture.shifted, "fb-"),
              PrivacyLedger.empty());

      if (result.publish()) {
        assertThat(result.before().guardAccuracy() - result.after().guardAccuracy())
            .as("sigma %s: %s", sigma, result.reason())
            .isLessThanOrEqualTo(UpdateConfig.DEFAULT_MAX_GUARD_DROP + 1e-9);
      }
      assertThat(result.privacy()).isNotNull();
    }
  }

  @Test
  void shouldRefuseAnUpdateThatAloneWouldPassTheBudget() {
    UpdateResult result =
        update(
            DP.withMaxEpsilon(0.5),
            fixture.feedback(fixture.shifted, "fb-"),
            PrivacyLedger.empty());

    assertThat(result.publish()).isFalse();
    assertThat(result.reason())
        .startsWith("rejected: the update alone would cost each of its users epsilon")
        .contains("update.dp.max.epsilon");
    assertThat(result.diff().parametersChanged()).isZero();
    assertThat(result.privacy()).isNull();
  }

  @Test
  void shouldLeaveOutUsersWhoseBudgetIsSpent() {
    List<AttributedFeedback> feedback = fixture.feedback(fixture.shifted, "fb-");
    UpdateResult first = update(DP, feedback, PrivacyLedger.empty());
    String spentUser = first.privacy().users().get(0);
    // as if the user had taken part in many earlier updates
    PrivacyLedger ledger = PrivacyLedger.empty();
    for (int i = 0; i < 50; i++) {
      ledger = ledger.plus(List.of(spentUser), first.privacy().rdp());
    }

    UpdateResult second = update(DP, feedback, ledger);

    assertThat(second.reason()).contains("1 users whose privacy budget is spent left out");
    assertThat(second.privacy().users())
        .doesNotContain(spentUser)
        .hasSize(first.privacy().users().size() - 1);
    assertThat(second.trainingFeedback()).isEqualTo(first.trainingFeedback() - 1);
  }

  @Test
  void shouldCountFeedbackWithoutASourceAsOneUserWithACappedNumberOfSamples() {
    List<AttributedFeedback> anonymous = new ArrayList<>();
    for (AttributedFeedback f : fixture.feedback(fixture.shifted, "fb-")) {
      anonymous.add(AttributedFeedback.newBuilder(f).setSource(null).build());
    }

    UpdateResult result = update(DP, anonymous, PrivacyLedger.empty());

    assertThat(result.trainingFeedback()).isEqualTo(DP.maxSamplesPerUser());
    assertThat(result.privacy().users())
        .containsExactly(FeedbackUsers.hash(FeedbackUsers.ANONYMOUS));
  }

  @Test
  void shouldRefuseSettingsWithoutAGuaranteeNamingTheValue() {
    assertThatThrownBy(() -> DP.withNoiseMultiplier(0))
        .hasMessageContaining("noiseMultiplier must be a positive finite number")
        .hasMessageContaining("was 0.0");
    assertThatThrownBy(() -> DP.withClipNorm(-1)).hasMessageContaining("clipNorm");
    assertThatThrownBy(() -> new DpConfig(true, 1, 1, 0, 1e-5, 10, 5, null))
        .hasMessageContaining("sampleRate must be in (0, 1]");
    assertThatThrownBy(() -> new DpConfig(true, 1, 1, 0.1, 0.01, 10, 5, null))
        .hasMessageContaining("delta must be in (0, 0.001]");
    assertThatThrownBy(() -> new DpConfig(true, 1, 1, 0.1, 1e-5, 10, 0, null))
        .hasMessageContaining("maxSamplesPerUser must be >= 1");
    assertThat(UpdateConfig.defaults().dp().enabled()).isFalse();
  }

  private static UpdateResult update(
      DpConfig dp, List<AttributedFeedback> feedback, PrivacyLedger ledger) {
    return update(UpdateConfig.defaults().withDp(dp), feedback, ledger);
  }

  private static UpdateResult update(
      UpdateConfig config, List<AttributedFeedback> feedback, PrivacyLedger ledger) {
    var plan =
        new ExpertSelectionPolicy(SELECTION).plan(ShiftFixture.HEAD, ShiftFixture.stats(feedback));
    var samples = FeedbackSamples.from(feedback, ShiftFixture.LABELS, ShiftFixture.HEAD.hidden());
    return new ExpertUpdater(config)
        .update(
            new UpdateInputs(
                "synthetic",
                "base",
                fixture.trained.weights(),
                plan,
                samples.samples(),
                fixture.trained.reservoir(),
                fixture.guard,
                List.of(),
                ledger));
  }
}
