package io.pulley.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconvergeScheduleTest {
  private static final Instant T = Instant.parse("2026-12-06T04:00:00Z");
  private static final Duration HOLD = Duration.ofSeconds(75);
  private static final Duration RETRY = Duration.ofMinutes(5);

  private static ApplyReport finishedAt(Instant when, ApplyOutcome outcome) {
    return ApplyReport.newBuilder()
        .setStartedAt(Timestamp.newBuilder().setSeconds(when.getEpochSecond()))
        .setOutcome(outcome)
        .build();
  }

  @Test
  void aPoll_endsWhenTheReconvergenceIsDue_notAfterTheWholeHold() {
    ApplyReport ok = finishedAt(T, ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    Optional<Instant> due =
        ReconvergeSchedule.nextDue(Duration.ofSeconds(20), ok, true, RETRY, T.plusSeconds(5));

    assertThat(due).contains(T.plusSeconds(20));
    assertThat(ReconvergeSchedule.pollDeadline(HOLD, due, T.plusSeconds(5)))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(ReconvergeSchedule.pollDeadline(HOLD, due, T.plusSeconds(20)))
        .as("at least a second, never a busy loop")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(ReconvergeSchedule.pollDeadline(HOLD, Optional.empty(), T)).isEqualTo(HOLD);
  }

  @Test
  void aFailedPlansRetry_cutsThePollBeforeIt_butNotThoseAfter() {
    ApplyReport failed = finishedAt(T, ApplyOutcome.APPLY_OUTCOME_FAILED);

    assertThat(ReconvergeSchedule.nextDue(Duration.ofMinutes(30), failed, true, RETRY, T))
        .contains(T.plus(RETRY));
    assertThat(
            ReconvergeSchedule.nextDue(
                Duration.ofMinutes(30), failed, true, RETRY, T.plus(RETRY).plusSeconds(1)))
        .as("the retry is due: the poll itself asks for the plan again")
        .contains(T.plus(Duration.ofMinutes(30)));
  }

  @Test
  void nothingIsDue_withoutAnApplyOrWithReconvergingOff_orAPlanNotYetApplied() {
    ApplyReport ok = finishedAt(T, ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);

    assertThat(ReconvergeSchedule.nextDue(Duration.ofMinutes(30), null, true, RETRY, T)).isEmpty();
    assertThat(ReconvergeSchedule.nextDue(Duration.ZERO, ok, true, RETRY, T)).isEmpty();
    assertThat(ReconvergeSchedule.nextDue(Duration.ofMinutes(30), ok, false, RETRY, T)).isEmpty();
  }
}
