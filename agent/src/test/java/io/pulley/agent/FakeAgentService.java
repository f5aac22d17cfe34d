package io.pulley.agent;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulley.v1.lite.AgentServiceGrpc;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.PollRequest;
import io.pulley.v1.lite.PollResponse;
import io.pulley.v1.lite.PollStatus;
import io.pulley.v1.lite.ReportRequest;
import io.pulley.v1.lite.ReportResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller that serves one plan: a poll is answered at once when the agent has not applied it,
 * else held until a new plan is set (or a short hold ends) and answered UNCHANGED.
 */
final class FakeAgentService extends AgentServiceGrpc.AgentServiceImplBase {
  private HostPlan plan;
  private boolean rejectReports;
  private final List<ApplyReport> reports = new ArrayList<>();
  private final List<PollRequest> polls = new ArrayList<>();
  private java.time.Duration hold = java.time.Duration.ofSeconds(2);

  synchronized void setPlan(HostPlan value) {
    plan = value;
    notifyAll();
  }

  synchronized void rejectReports(boolean value) {
    rejectReports = value;
  }

  synchronized List<ApplyReport> reports() {
    return List.copyOf(reports);
  }

  /** How long a poll with nothing new is held (the real controller: about a minute). */
  synchronized void holdFor(java.time.Duration value) {
    hold = value;
  }

  synchronized List<PollRequest> polls() {
    return List.copyOf(polls);
  }

  @Override
  public void poll(PollRequest request, StreamObserver<PollResponse> response) {
    HostPlan answer;
    try {
      answer = awaitNewPlan(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.onError(Status.CANCELLED.asRuntimeException());
      return;
    }
    PollResponse.Builder out = PollResponse.newBuilder();
    if (answer == null) {
      out.setStatus(PollStatus.POLL_STATUS_UNCHANGED);
    } else {
      out.setStatus(PollStatus.POLL_STATUS_NEW_PLAN).setPlan(answer);
    }
    response.onNext(out.build());
    response.onCompleted();
  }

  private synchronized HostPlan awaitNewPlan(PollRequest request) throws InterruptedException {
    polls.add(request);
    long end = System.nanoTime() + hold.toNanos();
    while (plan == null || plan.getPlanId().equals(request.getAppliedPlanId())) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return plan;
  }

  @Override
  public void report(ReportRequest request, StreamObserver<ReportResponse> response) {
    synchronized (this) {
      if (rejectReports) {
        response.onError(Status.UNAVAILABLE.withDescription("store down").asRuntimeException());
        return;
      }
      reports.add(request.getReport());
    }
    response.onNext(ReportResponse.getDefaultInstance());
    response.onCompleted();
  }
}
