package io.pulley.agent.poll;

import static io.pulley.wire.WireLimits.MAX_OUTPUT_TAIL_CHARS;
import static io.pulley.wire.WireLimits.MAX_REASON_CHARS;
import static io.pulley.wire.WireLimits.MAX_REPORT_BYTES;
import static io.pulley.wire.WireLimits.MAX_SUMMARY_REASON_CHARS;

import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import io.pulley.wire.SafeText;
import java.util.function.UnaryOperator;

/**
 * A report cut to what the controller accepts ({@link io.pulley.wire.WireLimits}), so that it is
 * not refused for its size: text fields to their limits, then, while it is still too large, the
 * output and drift of what did not fail, then every reason to a line. Stateless.
 */
final class ReportFit {
  private ReportFit() {}

  static ApplyReport fit(ApplyReport report) {
    ApplyReport fitted =
        each(
            report,
            r ->
                r.toBuilder()
                    .setReason(SafeText.cut(r.getReason(), MAX_REASON_CHARS))
                    .setDrift(SafeText.cut(r.getDrift(), MAX_REASON_CHARS))
                    .setOutputTail(tail(r.getOutputTail()))
                    .build());
    if (fitted.getSerializedSize() > MAX_REPORT_BYTES) {
      fitted =
          each(
              fitted,
              r ->
                  r.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_FAILED
                      ? r
                      : r.toBuilder().clearOutputTail().clearDrift().build());
    }
    if (fitted.getSerializedSize() > MAX_REPORT_BYTES) {
      fitted =
          each(
              fitted,
              r ->
                  r.toBuilder()
                      .setReason(SafeText.cutMiddle(r.getReason(), MAX_SUMMARY_REASON_CHARS))
                      .clearDrift()
                      .build());
    }
    return fitted;
  }

  private static ApplyReport each(ApplyReport report, UnaryOperator<ResourceResult> change) {
    ApplyReport.Builder builder = report.toBuilder().clearResults();
    report.getResultsList().forEach(r -> builder.addResults(change.apply(r)));
    return builder.build();
  }

  /** The end of an output is where the error is. */
  private static String tail(String text) {
    return text.length() <= MAX_OUTPUT_TAIL_CHARS
        ? text
        : text.substring(text.length() - MAX_OUTPUT_TAIL_CHARS);
  }
}
