package io.pulley.agent.poll;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulley.v1.lite.AgentServiceGrpc;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.PollRequest;
import io.pulley.v1.lite.PollResponse;
import io.pulley.v1.lite.PollStatus;
import io.pulley.v1.lite.ReportRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gRPC adapter for {@code AgentService}: the one place where status codes are mapped to
 * results. Calls are made from the poll thread; {@link #cancel} may be called from any thread.
 */
public final class ControllerClient {

  /** How a poll ended. */
  public enum Kind {
    NEW_PLAN,
    UNCHANGED,
    /** The controller held the call past the client deadline. */
    HELD_PAST_DEADLINE,
    /** The controller refused this host's certificate: revoked, removed, or expired. */
    REFUSED,
    FAILED,
    CANCELLED
  }

  /** A poll's answer; {@code plan} is set for NEW_PLAN, {@code error} for failures. */
  public record PollAnswer(Kind kind, HostPlan plan, String error) {
    static PollAnswer failed(Kind kind, String error) {
      return new PollAnswer(kind, HostPlan.getDefaultInstance(), error);
    }
  }

  private final Channel channel;
  private final AgentServiceGrpc.AgentServiceBlockingStub stub;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicReference<Context.CancellableContext> inFlight = new AtomicReference<>();

  public ControllerClient(Channel channel) {
    this.channel = channel;
    this.stub = AgentServiceGrpc.newBlockingStub(channel);
  }

  public PollAnswer poll(PollRequest request, Duration deadline) {
    try {
      PollResponse response =
          call(
              () ->
                  stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).poll(request));
      if (response.getStatus() == PollStatus.POLL_STATUS_NEW_PLAN && response.hasPlan()) {
        return new PollAnswer(Kind.NEW_PLAN, response.getPlan(), "");
      }
      if (response.getStatus() == PollStatus.POLL_STATUS_UNCHANGED) {
        return new PollAnswer(Kind.UNCHANGED, HostPlan.getDefaultInstance(), "");
      }
      return PollAnswer.failed(Kind.FAILED, "unexpected poll answer " + response.getStatus());
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (cancelled.get()) {
        return PollAnswer.failed(Kind.CANCELLED, "cancelled");
      }
      if (code == Status.Code.DEADLINE_EXCEEDED) {
        return PollAnswer.failed(Kind.HELD_PAST_DEADLINE, describe(e.getStatus()));
      }
      if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
        return PollAnswer.failed(Kind.REFUSED, describe(e.getStatus()));
      }
      return PollAnswer.failed(Kind.FAILED, describe(e.getStatus()));
    }
  }

  /** What became of a report: delivered, failed (send it again), or refused (never send it). */
  public record ReportAnswer(boolean delivered, boolean refused, String reason) {}

  /** Sends a report; {@code INVALID_ARGUMENT} means the controller will never take this one. */
  public ReportAnswer report(ApplyReport report, Duration deadline) {
    try {
      call(
          () ->
              stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                  .report(ReportRequest.newBuilder().setReport(report).build()));
      return new ReportAnswer(true, false, "");
    } catch (StatusRuntimeException e) {
      boolean refused = e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
      return new ReportAnswer(false, refused, describe(e.getStatus()));
    }
  }

  /** Cancels the call in flight and every later one; used on shutdown. */
  public void cancel() {
    cancelled.set(true);
    Context.CancellableContext context = inFlight.get();
    if (context != null) {
      context.cancel(null);
    }
  }

  /**
   * Lets the channel reconnect at once: our jittered backoff already spaced the retries, and the
   * channel's own reconnect backoff (up to two minutes) would otherwise stack on top of it.
   */
  public void reconnectNow() {
    if (channel instanceof ManagedChannel managed) {
      managed.resetConnectBackoff();
    }
  }

  private <T> T call(java.util.function.Supplier<T> rpc) {
    Context.CancellableContext context = Context.current().withCancellation();
    inFlight.set(context);
    Context previous = context.attach();
    try {
      if (cancelled.get()) {
        throw Status.CANCELLED.withDescription("agent is stopping").asRuntimeException();
      }
      return rpc.get();
    } finally {
      context.detach(previous);
      inFlight.set(null);
      context.cancel(null);
    }
  }

  private static String describe(Status status) {
    String description = status.getDescription();
    return description == null
        ? status.getCode().toString()
        : status.getCode() + ": " + description;
  }
}
