package io.pulley.controller.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.hosts.ReportBounds;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.poll.HostPlans;
import io.pulley.controller.poll.PollHub;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.revisions.RollbackResult;
import io.pulley.controller.secrets.SetSecretResult;
import io.pulley.controller.store.SecretEntry;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyManifestResponse;
import io.pulley.v1.ControlRolloutRequest;
import io.pulley.v1.GetHostPlanRequest;
import io.pulley.v1.GetHostPlanResponse;
import io.pulley.v1.GetHostReportRequest;
import io.pulley.v1.GetHostReportResponse;
import io.pulley.v1.GetRevisionRequest;
import io.pulley.v1.GetRolloutRequest;
import io.pulley.v1.HostState;
import io.pulley.v1.ListEventsRequest;
import io.pulley.v1.ListEventsResponse;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import io.pulley.v1.ListRevisionsRequest;
import io.pulley.v1.ListRevisionsResponse;
import io.pulley.v1.ListSecretsRequest;
import io.pulley.v1.ListSecretsResponse;
import io.pulley.v1.PromoteRequest;
import io.pulley.v1.PromoteResponse;
import io.pulley.v1.Revision;
import io.pulley.v1.RollbackRequest;
import io.pulley.v1.RollbackResponse;
import io.pulley.v1.Rollout;
import io.pulley.v1.SecretInfo;
import io.pulley.v1.SetSecretRequest;
import io.pulley.v1.SetSecretResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gRPC face of the admin side: a thin mapping onto the revision log (with the secrets its plans
 * use) and the host registry; rollouts and promotions through their own calls.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final int DEFAULT_HISTORY = 50;
  private static final int MAX_HISTORY = 1000;

  private final RevisionLog revisions;
  private final HostRegistry hosts;
  private final HostPlans plans;
  private final PollHub pollHub;
  private final RolloutCalls rolloutCalls;
  private final PromoteCalls promoteCalls;

  public AdminGrpcService(
      RevisionLog revisions,
      HostRegistry hosts,
      HostPlans plans,
      PollHub pollHub,
      RolloutCalls rolloutCalls,
      PromoteCalls promoteCalls) {
    this.rolloutCalls = rolloutCalls;
    this.promoteCalls = promoteCalls;
    this.revisions = revisions;
    this.hosts = hosts;
    this.plans = plans;
    this.pollHub = pollHub;
  }

  @Override
  public void applyManifest(
      ApplyManifestRequest request, StreamObserver<ApplyManifestResponse> observer) {
    String source = request.getSourceName().isEmpty() ? "manifest" : request.getSourceName();
    ApplyResult result =
        revisions.apply(
            request.getManifestYaml(),
            source,
            request.getDryRun(),
            Actor.current(),
            Callers::mayChange);
    if (result instanceof ApplyResult.Rejected rejected) {
      observer.onError(GrpcErrors.manifestRejected(rejected.errors()));
      return;
    }
    if (result instanceof ApplyResult.Forbidden forbidden) {
      observer.onError(Callers.outOfScope(forbidden.app()));
      return;
    }
    ApplyResult.Accepted accepted = (ApplyResult.Accepted) result;
    ApplyManifestResponse.Builder response =
        ApplyManifestResponse.newBuilder()
            .setChanged(accepted.changed())
            .setDiff(accepted.diff())
            .setDryRun(accepted.dryRun())
            .addAllNotices(accepted.notices());
    accepted.revision().ifPresent(response::setRevision);
    respond(observer, response.build());
  }

  @Override
  public void getRevision(GetRevisionRequest request, StreamObserver<Revision> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    if (!namesGiven(app, observer)) {
      return;
    }
    Optional<Revision> revision = revisions.get(app, request.getNumber());
    if (revision.isEmpty()) {
      observer.onError(
          GrpcErrors.notFound(
              (request.getNumber() == 0 ? "no revision" : "no revision " + request.getNumber())
                  + " of "
                  + app));
      return;
    }
    respond(observer, revision.get());
  }

  @Override
  public void listRevisions(
      ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    if (!namesGiven(app, observer)) {
      return;
    }
    int limit =
        request.getLimit() <= 0 ? DEFAULT_HISTORY : Math.min(request.getLimit(), MAX_HISTORY);
    List<Revision> listed = revisions.history(app, limit);
    ListRevisionsResponse.Builder response = ListRevisionsResponse.newBuilder();
    for (Revision revision : listed) {
      response.addRevisions(revision.toBuilder().clearManifest().clearSourceYaml());
    }
    response.putAllRolloutStatus(rolloutCalls.statuses(app, listed));
    respond(observer, response.build());
  }

  @Override
  public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    if (!namesGiven(app, observer)) {
      return;
    }
    if (!Callers.mayChange(app)) {
      observer.onError(Callers.outOfScope(app));
      return;
    }
    RollbackResult result = revisions.rollback(app, request.getToRevision(), Actor.current());
    if (result instanceof RollbackResult.RolledBack done) {
      respond(
          observer,
          RollbackResponse.newBuilder()
              .setRevision(done.revision())
              .setChanged(done.changed())
              .addAllNotices(done.changed() ? RollbackNotices.of(app, hosts.all()) : List.of())
              .build());
      return;
    }
    observer.onError(
        GrpcErrors.notFound(
            "no revision "
                + request.getToRevision()
                + " of "
                + app
                + "; see `pulley history "
                + app.application()
                + " "
                + app.environment()
                + "`"));
  }

  @Override
  public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> observer) {
    // Insecure unless the interceptor authenticated the caller: the CLI warns every admin.
    ListHostsResponse.Builder response =
        ListHostsResponse.newBuilder()
            .setInsecure(Callers.current().map(c -> !c.authenticated()).orElse(true));
    for (HostState host : hosts.all()) {
      response.addHosts(withLiveState(host));
    }
    respond(observer, response.build());
  }

  @Override
  public void getHostReport(
      GetHostReportRequest request, StreamObserver<GetHostReportResponse> observer) {
    Optional<HostState> host = hosts.get(request.getHostId());
    if (host.isEmpty()) {
      observer.onError(unknownHost(request.getHostId()));
      return;
    }
    GetHostReportResponse.Builder response = GetHostReportResponse.newBuilder();
    if (host.get().hasLastReport()) {
      response.setReport(host.get().getLastReport());
    }
    respond(observer, response.build());
  }

  @Override
  public void getHostPlan(
      GetHostPlanRequest request, StreamObserver<GetHostPlanResponse> observer) {
    if (hosts.get(request.getHostId()).isEmpty()) {
      observer.onError(unknownHost(request.getHostId()));
      return;
    }
    respond(
        observer,
        GetHostPlanResponse.newBuilder()
            .setPlan(PlanRenderer.redacted(plans.planFor(request.getHostId())))
            .build());
  }

  @Override
  public void setSecret(SetSecretRequest request, StreamObserver<SetSecretResponse> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    SetSecretResult result =
        revisions.setSecret(app, request.getName(), request.getValue(), Actor.current());
    if (result instanceof SetSecretResult.Invalid invalid) {
      observer.onError(GrpcErrors.invalidField(invalid.field(), invalid.reason()));
      return;
    }
    SetSecretResult.Stored stored = (SetSecretResult.Stored) result;
    respond(observer, SetSecretResponse.newBuilder().setCreated(stored.created()).build());
  }

  @Override
  public void listSecrets(
      ListSecretsRequest request, StreamObserver<ListSecretsResponse> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    Optional<SetSecretResult.Invalid> invalid = revisions.checkSecretOwner(app);
    if (invalid.isPresent()) {
      observer.onError(GrpcErrors.invalidField(invalid.get().field(), invalid.get().reason()));
      return;
    }
    ListSecretsResponse.Builder response = ListSecretsResponse.newBuilder();
    for (SecretEntry entry : revisions.secretEntries(app)) {
      response.addSecrets(secretInfo(entry));
    }
    respond(observer, response.build());
  }

  private static SecretInfo secretInfo(SecretEntry entry) {
    SecretInfo.Builder info =
        SecretInfo.newBuilder().setName(entry.name()).setGenerated(entry.generated());
    // A secret from before times were recorded has none; an unset Timestamp says so.
    if (!entry.updatedAt().equals(Instant.EPOCH)) {
      info.setUpdatedAt(
          Timestamp.newBuilder()
              .setSeconds(entry.updatedAt().getEpochSecond())
              .setNanos(entry.updatedAt().getNano()));
    }
    return info.build();
  }

  /** The host as ListHosts shows it: live state, and a summary in place of the whole report. */
  private HostState withLiveState(HostState host) {
    HostState.Builder shown =
        host.toBuilder()
            .setConnected(pollHub.isHeld(host.getHostId()))
            .setDesiredPlanId(plans.planFor(host.getHostId()).getPlanId())
            .clearLastReport();
    if (host.hasLastReport()) {
      shown.setLastReportSummary(ReportBounds.summary(host.getLastReport()));
    }
    return shown.build();
  }

  private static io.grpc.StatusRuntimeException unknownHost(String hostId) {
    return GrpcErrors.notFound(
        "no host \"" + hostId + "\" has polled this controller; see `pulley hosts`");
  }

  @Override
  public void getRollout(GetRolloutRequest request, StreamObserver<Rollout> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    if (namesGiven(app, observer)) {
      rolloutCalls.get(app, observer);
    }
  }

  @Override
  public void controlRollout(ControlRolloutRequest request, StreamObserver<Rollout> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    if (namesGiven(app, observer)) {
      rolloutCalls.control(app, request.getAction(), observer);
    }
  }

  @Override
  public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> observer) {
    AppEnv app = new AppEnv(request.getApplication(), request.getEnvironment());
    if (namesGiven(app, observer)) {
      int limit =
          request.getLimit() <= 0 ? DEFAULT_HISTORY : Math.min(request.getLimit(), MAX_HISTORY);
      rolloutCalls.events(app, limit, observer);
    }
  }

  @Override
  public void promote(PromoteRequest request, StreamObserver<PromoteResponse> observer) {
    promoteCalls.promote(request, observer);
  }

  private static boolean namesGiven(AppEnv app, StreamObserver<?> observer) {
    if (app.application().isEmpty() || app.environment().isEmpty()) {
      observer.onError(GrpcErrors.invalidArgument("application and environment are required"));
      return false;
    }
    return true;
  }

  private static <T> void respond(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }
}
