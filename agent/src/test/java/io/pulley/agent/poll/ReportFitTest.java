package io.pulley.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import io.pulley.wire.WireLimits;
import org.junit.jupiter.api.Test;

class ReportFitTest {
  private static ResourceResult result(ResourceOutcome outcome, String text) {
    return ResourceResult.newBuilder()
        .setResourceId("r")
        .setOutcome(outcome)
        .setReason(text)
        .setDrift(text)
        .setOutputTail(text)
        .build();
  }

  @Test
  void longText_isCutToTheLimits_keepingTheEndOfTheOutput() {
    String text = "a".repeat(10_000) + "the error";
    ApplyReport fitted =
        ReportFit.fit(
            ApplyReport.newBuilder()
                .addResults(result(ResourceOutcome.RESOURCE_OUTCOME_FAILED, text))
                .build());

    ResourceResult result = fitted.getResults(0);
    assertThat(result.getReason()).hasSize(WireLimits.MAX_REASON_CHARS).endsWith("[cut]");
    assertThat(result.getOutputTail())
        .hasSize(WireLimits.MAX_OUTPUT_TAIL_CHARS)
        .endsWith("the error");
  }

  @Test
  void aReportOverTheByteLimit_isShrunkUnderIt_keepingWhatFailed() {
    ApplyReport.Builder report = ApplyReport.newBuilder();
    for (int i = 0; i < 200; i++) {
      report.addResults(result(ResourceOutcome.RESOURCE_OUTCOME_CHANGED, "x".repeat(4000)));
    }
    report.addResults(result(ResourceOutcome.RESOURCE_OUTCOME_FAILED, "boom"));

    ApplyReport fitted = ReportFit.fit(report.build());

    assertThat(report.build().getSerializedSize()).isGreaterThan(WireLimits.MAX_REPORT_BYTES);
    assertThat(fitted.getSerializedSize()).isLessThanOrEqualTo(WireLimits.MAX_REPORT_BYTES);
    assertThat(fitted.getResultsCount()).isEqualTo(201);
    assertThat(fitted.getResults(200).getOutputTail()).isEqualTo("boom");
  }
}
