package io.pulley.controller.grpc;

import io.grpc.stub.StreamObserver;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.ManifestNames;
import io.pulley.controller.promote.PromoteResult;
import io.pulley.controller.promote.Promotions;
import io.pulley.v1.PromoteRequest;
import io.pulley.v1.PromoteResponse;
import io.pulley.wire.SafeText;
import java.util.Optional;

/** The admin call that promotes one environment's live release to another. */
public final class PromoteCalls {
  private final Promotions promotions;

  public PromoteCalls(Promotions promotions) {
    this.promotions = promotions;
  }

  void promote(PromoteRequest request, StreamObserver<PromoteResponse> observer) {
    // Names are checked before anything is looked up: bounded, and never echoed unchecked.
    if (badName(observer, "application", "application", request.getApplication())
        || badName(observer, "from_environment", "environment", request.getFromEnvironment())
        || badName(observer, "to_environment", "environment", request.getToEnvironment())) {
      return;
    }
    AppEnv from = new AppEnv(request.getApplication(), request.getFromEnvironment());
    AppEnv to = new AppEnv(request.getApplication(), request.getToEnvironment());
    // Promotion changes only the target: reading the source needs no more than a viewer may see.
    if (!Callers.mayChange(to)) {
      observer.onError(Callers.outOfScope(to));
      return;
    }
    PromoteResult result = promotions.promote(from, to, request.getDryRun(), Actor.current(), "");
    if (result instanceof PromoteResult.NotFound notFound) {
      observer.onError(GrpcErrors.notFound(notFound.reason()));
    } else if (result instanceof PromoteResult.Refused refused) {
      observer.onError(GrpcErrors.failedPrecondition(refused.reason()));
    } else if (result instanceof PromoteResult.Rejected rejected) {
      observer.onError(GrpcErrors.manifestRejected(rejected.errors()));
    } else {
      PromoteResult.Promoted promoted = (PromoteResult.Promoted) result;
      observer.onNext(
          PromoteResponse.newBuilder()
              .setRevision(promoted.revision())
              .setChanged(promoted.changed())
              .setDiff(promoted.diff())
              .setPromotedFrom(promoted.from())
              .setDryRun(promoted.dryRun())
              .addAllNotices(promoted.notices())
              .build());
      observer.onCompleted();
    }
  }

  private static boolean badName(
      StreamObserver<?> observer, String field, String kind, String value) {
    Optional<String> problem = ManifestNames.problem(kind, value);
    // The reason quotes the name: cut and made one line, whatever a client sent.
    problem.ifPresent(
        reason ->
            observer.onError(
                GrpcErrors.invalidField(
                    field, SafeText.line(SafeText.cut(reason, GrpcErrors.MAX_ERROR_CHARS)))));
    return problem.isPresent();
  }
}
