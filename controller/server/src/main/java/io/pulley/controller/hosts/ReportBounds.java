package io.pulley.controller.hosts;

import static io.pulley.wire.WireLimits.MAX_FACT_CHARS;
import static io.pulley.wire.WireLimits.MAX_LABELS;
import static io.pulley.wire.WireLimits.MAX_NAME_CHARS;
import static io.pulley.wire.WireLimits.MAX_OUTPUT_TAIL_CHARS;
import static io.pulley.wire.WireLimits.MAX_REASON_CHARS;
import static io.pulley.wire.WireLimits.MAX_REPORT_BYTES;
import static io.pulley.wire.WireLimits.MAX_REPORT_RESULTS;
import static io.pulley.wire.WireLimits.MAX_REPORT_REVISIONS;
import static io.pulley.wire.WireLimits.MAX_SUMMARY_REASON_CHARS;

import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostFacts;
import io.pulley.v1.InterruptedApply;
import io.pulley.v1.ReportSummary;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.RevisionRef;
import io.pulley.wire.SafeText;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an agent may tell the controller, bounded: a report over a hard limit is refused whole;
 * longer text is cut with a marker, and every control character is replaced, so what is stored and
 * shown stays small and cannot drive a terminal. Stateless and thread-safe.
 */
public final class ReportBounds {
  private ReportBounds() {}

  /** Why {@code report} is refused, naming the limit; empty if it is within every hard limit. */
  public static Optional<String> refusal(ApplyReport report) {
    Optional<String> overCount =
        over("bytes", report.getSerializedSize(), MAX_REPORT_BYTES)
            .or(() -> over("resource results", report.getResultsCount(), MAX_REPORT_RESULTS))
            .or(() -> over("revisions", report.getRevisionsCount(), MAX_REPORT_REVISIONS));
    if (overCount.isPresent()) {
      return overCount;
    }
    // An outcome this controller does not know would be stored as is and break every summary.
    if (report.getOutcome() == ApplyOutcome.UNRECOGNIZED) {
      return refused("report's outcome " + report.getOutcomeValue() + " is not a known outcome");
    }
    if (tooLong(report.getHostId()) || tooLong(report.getPlanId())) {
      return refused("report's host_id or plan_id is over " + MAX_NAME_CHARS + " characters");
    }
    InterruptedApply cut = report.getInterrupted();
    if (tooLong(cut.getPlanId())
        || tooLong(cut.getApplication())
        || tooLong(cut.getEnvironment())
        || tooLong(cut.getResourceId())) {
      return refused("the interrupted apply's plan, application or resource is over the limit");
    }
    for (RevisionRef ref : report.getRevisionsList()) {
      if (tooLong(ref.getApplication()) || tooLong(ref.getEnvironment())) {
        return refused("a revision's application or environment is over the name limit");
      }
    }
    for (ResourceResult result : report.getResultsList()) {
      if (result.getOutcome() == ResourceOutcome.UNRECOGNIZED) {
        return refused(
            "a result's outcome " + result.getOutcomeValue() + " is not a known outcome");
      }
      if (tooLong(result.getApplication())
          || tooLong(result.getEnvironment())
          || tooLong(result.getResourceId())) {
        return refused(
            "a result's application, environment or resource_id is over "
                + MAX_NAME_CHARS
                + " characters");
      }
    }
    return Optional.empty();
  }

  /** {@code report} with its text made safe and cut to the soft limits. */
  public static ApplyReport bounded(ApplyReport report) {
    ApplyReport.Builder safe =
        report.toBuilder()
            .setHostId(SafeText.line(report.getHostId()))
            .setPlanId(SafeText.line(report.getPlanId()));
    if (report.hasInterrupted()) {
      InterruptedApply cut = report.getInterrupted();
      safe.setInterrupted(
          cut.toBuilder()
              .setPlanId(SafeText.line(cut.getPlanId()))
              .setApplication(SafeText.line(cut.getApplication()))
              .setEnvironment(SafeText.line(cut.getEnvironment()))
              .setResourceId(SafeText.line(cut.getResourceId())));
    }
    for (int i = 0; i < safe.getResultsCount(); i++) {
      ResourceResult result = safe.getResults(i);
      safe.setResults(
          i,
          result.toBuilder()
              .setApplication(SafeText.line(result.getApplication()))
              .setEnvironment(SafeText.line(result.getEnvironment()))
              .setResourceId(SafeText.line(result.getResourceId()))
              .setReason(multiline(result.getReason(), MAX_REASON_CHARS))
              .setDrift(multiline(result.getDrift(), MAX_REASON_CHARS))
              .setOutputTail(tail(result.getOutputTail())));
    }
    return safe.build();
  }

  /** {@code facts} with every text made safe and cut, and at most {@code MAX_LABELS} labels. */
  public static HostFacts bounded(HostFacts facts) {
    Map<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, String> label : new TreeMap<>(facts.getLabelsMap()).entrySet()) {
      if (labels.size() == MAX_LABELS) {
        break;
      }
      labels.put(fact(label.getKey()), fact(label.getValue()));
    }
    return facts.toBuilder()
        .setOsId(fact(facts.getOsId()))
        .setOsVersion(fact(facts.getOsVersion()))
        .setKernel(fact(facts.getKernel()))
        .setArch(fact(facts.getArch()))
        .setHostname(fact(facts.getHostname()))
        .setAgentVersion(fact(facts.getAgentVersion()))
        .clearLabels()
        .putAllLabels(labels)
        .build();
  }

  /** A few numbers and the first failure: what ListHosts sends in place of the whole report. */
  public static ReportSummary summary(ApplyReport report) {
    // By number: a report stored before unknown outcomes were refused must not break the summary.
    ReportSummary.Builder summary =
        ReportSummary.newBuilder().setOutcomeValue(report.getOutcomeValue());
    for (ResourceResult result : report.getResultsList()) {
      switch (result.getOutcome()) {
        case RESOURCE_OUTCOME_CHANGED -> summary.setChanged(summary.getChanged() + 1);
        case RESOURCE_OUTCOME_FAILED -> summary.setFailed(summary.getFailed() + 1);
        case RESOURCE_OUTCOME_SKIPPED -> summary.setSkipped(summary.getSkipped() + 1);
        default -> summary.setUnchanged(summary.getUnchanged() + 1);
      }
      if (result.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_FAILED
          && !summary.hasFirstFailure()) {
        summary.setFirstFailure(
            ResourceResult.newBuilder()
                .setApplication(result.getApplication())
                .setEnvironment(result.getEnvironment())
                .setResourceId(result.getResourceId())
                .setOutcomeValue(result.getOutcomeValue())
                .setReason(
                    SafeText.cutMiddle(
                        SafeText.line(result.getReason()), MAX_SUMMARY_REASON_CHARS)));
      }
    }
    return summary.build();
  }

  private static Optional<String> over(String what, int count, int limit) {
    return count <= limit
        ? Optional.empty()
        : refused("report has " + count + " " + what + "; the limit is " + limit);
  }

  private static Optional<String> refused(String reason) {
    return Optional.of(reason);
  }

  private static boolean tooLong(String name) {
    return name.length() > MAX_NAME_CHARS;
  }

  private static String fact(String text) {
    return SafeText.cut(SafeText.line(text), MAX_FACT_CHARS);
  }

  private static String multiline(String text, int max) {
    return SafeText.cut(SafeText.lines(text), max);
  }

  /** A tail keeps its end, where the error usually is. */
  private static String tail(String text) {
    String safe = SafeText.lines(text);
    if (safe.length() <= MAX_OUTPUT_TAIL_CHARS) {
      return safe;
    }
    String marker = "[cut]… ";
    int from = safe.length() - (MAX_OUTPUT_TAIL_CHARS - marker.length());
    if (Character.isLowSurrogate(safe.charAt(from))) {
      from++;
    }
    return marker + safe.substring(from);
  }
}
