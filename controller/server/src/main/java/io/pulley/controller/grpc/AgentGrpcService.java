package io.pulley.controller.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulley.controller.access.Caller;
import io.pulley.controller.commands.DoneCommands;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.hosts.ReportBounds;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.poll.PollHub;
import io.pulley.controller.poll.PollResponder;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.ReportRequest;
import io.pulley.v1.ReportResponse;
import io.pulley.wire.SafeText;
import java.util.Optional;

/**
 * The gRPC face of the agents' side: long-polls go to the poll hub, reports to the registry and to
 * the commands done once in an environment.
 */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  private final PollHub pollHub;
  private final HostRegistry hosts;
  private final DoneCommands done;
  private final ControllerMetrics metrics;

  public AgentGrpcService(
      PollHub pollHub, HostRegistry hosts, DoneCommands done, ControllerMetrics metrics) {
    this.pollHub = pollHub;
    this.hosts = hosts;
    this.done = done;
    this.metrics = metrics;
  }

  @Override
  public void poll(PollRequest claimed, StreamObserver<PollResponse> observer) {
    String own = ownHostId(claimed.getHostId(), observer);
    if (own == null) {
      return;
    }
    PollRequest request = claimed.toBuilder().setHostId(own).build();
    String problem = HostIds.problem(request.getHostId());
    if (problem != null) {
      observer.onError(GrpcErrors.invalidArgument(problem));
      return;
    }
    ServerCallStreamObserver<PollResponse> call = (ServerCallStreamObserver<PollResponse>) observer;
    pollHub.poll(
        request,
        new PollResponder() {
          @Override
          public void respond(PollResponse response) {
            call.onNext(response);
            call.onCompleted();
          }

          @Override
          public void refuse(String reason) {
            call.onError(GrpcErrors.unauthenticated(reason));
          }

          @Override
          public void onCancel(Runnable action) {
            call.setOnCancelHandler(action);
          }
        });
  }

  @Override
  public void report(ReportRequest request, StreamObserver<ReportResponse> observer) {
    String own = ownHostId(request.getReport().getHostId(), observer);
    if (own == null) {
      return;
    }
    ApplyReport report = request.getReport().toBuilder().setHostId(own).build();
    String problem = HostIds.problem(report.getHostId());
    if (problem != null) {
      observer.onError(GrpcErrors.invalidArgument(problem));
      return;
    }
    Optional<String> refusal = ReportBounds.refusal(report);
    if (refusal.isPresent()) {
      observer.onError(GrpcErrors.invalidArgument(refusal.get()));
      return;
    }
    hosts.recordReport(report);
    done.reportReceived(report);
    metrics.reportReceived(
        report
            .getOutcome()
            .name()
            .replace("APPLY_OUTCOME_", "")
            .toLowerCase(java.util.Locale.ROOT));
    observer.onNext(ReportResponse.getDefaultInstance());
    observer.onCompleted();
  }

  /**
   * The host id of the caller's certificate (in insecure mode: the one claimed), or null after
   * refusing a claim of another host.
   */
  private static String ownHostId(String claimed, StreamObserver<?> observer) {
    Optional<Caller> caller = Callers.authenticated();
    if (caller.isEmpty()) {
      return claimed;
    }
    String own = caller.get().identity().name();
    if (!claimed.isEmpty() && !claimed.equals(own)) {
      observer.onError(
          GrpcErrors.permissionDenied(
              "this certificate speaks for host "
                  + own
                  + ", not \""
                  + SafeText.excerpt(claimed)
                  + "\""));
      return null;
    }
    return own;
  }
}
