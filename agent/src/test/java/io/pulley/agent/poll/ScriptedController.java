package io.pulley.agent.poll;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulley.v1.lite.AgentServiceGrpc;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.PollRequest;
import io.pulley.v1.lite.PollResponse;
import io.pulley.v1.lite.PollStatus;
import io.pulley.v1.lite.ReportRequest;
import io.pulley.v1.lite.ReportResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller whose poll answers a test scripts one at a time. A poll that finds no answer
 * scripted is held, as a real controller holds a long-poll, until the test scripts one or the agent
 * cancels the call; so the loop under test parks there and never spins. Reports are taken unless
 * the test scripts rejections. Thread-safe.
 */
final class ScriptedController extends AgentServiceGrpc.AgentServiceImplBase {
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** One scripted poll answer: a response, or the error the call fails with. */
  record Answer(PollResponse response, Status error) {}

  static Answer newPlan(HostPlan plan) {
    return new Answer(
        PollResponse.newBuilder().setStatus(PollStatus.POLL_STATUS_NEW_PLAN).setPlan(plan).build(),
        null);
  }

  static Answer unchanged() {
    return new Answer(
        PollResponse.newBuilder().setStatus(PollStatus.POLL_STATUS_UNCHANGED).build(), null);
  }

  static Answer unavailable() {
    return new Answer(null, Status.UNAVAILABLE.withDescription("controller down"));
  }

  /** {@code polls} answers of an outage: each fails with UNAVAILABLE. */
  static Answer[] outage(int polls) {
    Answer[] answers = new Answer[polls];
    Arrays.fill(answers, unavailable());
    return answers;
  }

  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<PollRequest> polls = new ArrayList<>();
  private final List<ApplyReport> reports = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private ServerCallStreamObserver<PollResponse> held;
  private int reportsToReject;
  private boolean refuseReports;

  /** Queues {@code answers}; the first goes to the poll being held, if there is one. */
  void answerPolls(Answer... answers) {
    ServerCallStreamObserver<PollResponse> waiting;
    Answer answer;
    synchronized (this) {
      script.addAll(List.of(answers));
      if (held == null) {
        return;
      }
      waiting = held;
      held = null;
      answer = script.removeFirst();
    }
    send(waiting, answer);
  }

  /** Makes the next {@code count} reports fail with UNAVAILABLE. */
  synchronized void rejectReports(int count) {
    reportsToReject = count;
  }

  /** Makes every report fail with INVALID_ARGUMENT, as one over the controller's limits does. */
  synchronized void refuseReports() {
    refuseReports = true;
  }

  synchronized List<PollRequest> polls() {
    return List.copyOf(polls);
  }

  /** The reports taken, in order. */
  synchronized List<ApplyReport> reports() {
    return List.copyOf(reports);
  }

  /**
   * Every call in arrival order: "poll APPLIED_PLAN_ID", "report PLAN_ID" or "rejected PLAN_ID".
   */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * Waits until the agent made exactly {@code count} polls and the last one is held; fails at once
   * if it made more, and after five seconds otherwise. Returns that poll.
   */
  synchronized PollRequest awaitHeldPoll(int count) throws InterruptedException {
    long end = System.nanoTime() + WAIT_NANOS;
    while (polls.size() != count || held == null) {
      long left = end - System.nanoTime();
      if (polls.size() > count || left <= 0) {
        throw new AssertionError("expected poll " + count + " to be held; calls: " + calls);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return polls.get(count - 1);
  }

  @Override
  public void poll(PollRequest request, StreamObserver<PollResponse> observer) {
    ServerCallStreamObserver<PollResponse> call = (ServerCallStreamObserver<PollResponse>) observer;
    call.setOnCancelHandler(() -> dropIfHeld(call));
    Answer answer;
    synchronized (this) {
      polls.add(request);
      calls.add("poll " + request.getAppliedPlanId());
      if (script.isEmpty()) {
        held = call;
        notifyAll();
        return;
      }
      answer = script.removeFirst();
    }
    send(call, answer);
  }

  @Override
  public void report(ReportRequest request, StreamObserver<ReportResponse> observer) {
    String planId = request.getReport().getPlanId();
    synchronized (this) {
      if (reportsToReject > 0) {
        reportsToReject--;
        calls.add("rejected " + planId);
        observer.onError(Status.UNAVAILABLE.withDescription("store down").asRuntimeException());
        return;
      }
      if (refuseReports) {
        calls.add("refused " + planId);
        observer.onError(Status.INVALID_ARGUMENT.withDescription("too large").asRuntimeException());
        return;
      }
      calls.add("report " + planId);
      reports.add(request.getReport());
    }
    observer.onNext(ReportResponse.getDefaultInstance());
    observer.onCompleted();
  }

  private synchronized void dropIfHeld(ServerCallStreamObserver<PollResponse> call) {
    if (held == call) {
      held = null;
    }
  }

  private static void send(StreamObserver<PollResponse> call, Answer answer) {
    if (answer.error() != null) {
      call.onError(answer.error().asRuntimeException());
      return;
    }
    call.onNext(answer.response());
    call.onCompleted();
  }
}
