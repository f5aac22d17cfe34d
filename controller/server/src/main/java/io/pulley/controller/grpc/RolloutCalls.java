package io.pulley.controller.grpc;

import io.grpc.stub.StreamObserver;
import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.rollout.RolloutControl;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.v1.ListEventsResponse;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutAction;
import io.pulley.v1.RolloutStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The admin calls about rollouts and the audit trail; names are checked by the caller. */
public final class RolloutCalls {
  private final Rollouts rollouts;
  private final AuditTrail audit;

  public RolloutCalls(Rollouts rollouts, AuditTrail audit) {
    this.rollouts = rollouts;
    this.audit = audit;
  }

  /** The status of each rollout of these revisions, by revision number. */
  Map<Long, RolloutStatus> statuses(AppEnv app, List<Revision> listed) {
    long oldest = listed.stream().mapToLong(Revision::getNumber).min().orElse(Long.MAX_VALUE);
    return rollouts.statuses(app, oldest);
  }

  void get(AppEnv app, StreamObserver<Rollout> observer) {
    Optional<Rollout> rollout = rollouts.get(app);
    if (rollout.isEmpty()) {
      observer.onError(
          GrpcErrors.notFound(
              app
                  + " has no rollout: its manifest has no rollout policy, or no revision has"
                  + " been stored since it got one"));
      return;
    }
    observer.onNext(rollout.get());
    observer.onCompleted();
  }

  void control(AppEnv app, RolloutAction action, StreamObserver<Rollout> observer) {
    if (action == RolloutAction.ROLLOUT_ACTION_UNSPECIFIED
        || action == RolloutAction.UNRECOGNIZED) {
      observer.onError(GrpcErrors.invalidField("action", "say pause, resume or abort"));
      return;
    }
    if (!Callers.mayChange(app)) {
      observer.onError(Callers.outOfScope(app));
      return;
    }
    RolloutControl.Result result = rollouts.control(app, action, Actor.current());
    if (result instanceof RolloutControl.Done done) {
      observer.onNext(done.rollout());
      observer.onCompleted();
    } else {
      observer.onError(GrpcErrors.failedPrecondition(((RolloutControl.Refused) result).reason()));
    }
  }

  void events(AppEnv app, int limit, StreamObserver<ListEventsResponse> observer) {
    observer.onNext(ListEventsResponse.newBuilder().addAllEvents(audit.events(app, limit)).build());
    observer.onCompleted();
  }
}
