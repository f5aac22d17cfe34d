package io.pulley.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pulley.controller.access.Caller;
import io.pulley.controller.access.Permission;
import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.Events;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.promote.Promotions;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.RegistryFleet;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.testing.ManualClock;
import io.pulley.trust.Identity;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.PromoteRequest;
import io.pulley.v1.PromoteResponse;
import io.pulley.v1.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Who may promote, and what a promotion request may name: a deployer needs a scope that allows the
 * target environment, names are checked before anything is looked up, and each outcome has its
 * status code.
 */
class PromoteCallsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final InMemoryStore store = new InMemoryStore();
  private final HostRegistry hosts = new HostRegistry(store, clock);
  private final RevisionLog revisions =
      new RevisionLog(
          store,
          new ManifestCompiler(new JGitRefResolver()),
          clock,
          ControllerMetrics.discarding(),
          Events.NONE);
  private final PromoteCalls calls =
      new PromoteCalls(
          new Promotions(
              revisions,
              hosts,
              new RegistryFleet(hosts, clock, Duration.ofMinutes(3)),
              app -> Optional.empty(),
              store,
              new AuditTrail(store, clock),
              new ManifestCompiler(new JGitRefResolver())));

  @Test
  void promote_needsTheDeployerRole() {
    assertThat(Permission.of(AdminServiceGrpc.getPromoteMethod().getFullMethodName()))
        .isEqualTo(Permission.DEPLOYER);
  }

  @Test
  void aDeployerScopedToStaging_mayNotPromoteToProduction() {
    Status status = call(deployer("shop/staging"), request("shop", "staging", "production"));

    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).endsWith("not shop/production");
  }

  @Test
  void aDeployerScopedToProduction_getsAsFarAsTheRevisions() {
    Status status = call(deployer("shop/production"), request("shop", "staging", "production"));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).startsWith("shop/production has no revision");
  }

  @Test
  void badNames_areRefusedWithTheirField_beforeAnythingIsLookedUp() {
    Status longName = call(deployer(), request("shop", "s".repeat(5000), "production"));
    assertThat(longName.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(longName.getDescription()).startsWith("from_environment: environment \"");
    assertThat(longName.getDescription().length()).isLessThan(400);

    Status same = call(deployer(), request("shop", "production", "production"));
    assertThat(same.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);

    Status empty = call(deployer(), request("", "staging", "production"));
    assertThat(empty.getDescription()).startsWith("application: application is required");
  }

  private static Caller deployer(String... scopes) {
    return new Caller(Identity.admin("bob"), Role.ROLE_DEPLOYER, List.of(scopes), true, "fp");
  }

  private static PromoteRequest request(String app, String from, String to) {
    return PromoteRequest.newBuilder()
        .setApplication(app)
        .setFromEnvironment(from)
        .setToEnvironment(to)
        .build();
  }

  /** The status the call ended with; OK if it answered. */
  private Status call(Caller caller, PromoteRequest request) {
    AtomicReference<Status> ended = new AtomicReference<>();
    StreamObserver<PromoteResponse> observer =
        new StreamObserver<>() {
          @Override
          public void onNext(PromoteResponse value) {}

          @Override
          public void onError(Throwable t) {
            ended.set(((StatusRuntimeException) t).getStatus());
          }

          @Override
          public void onCompleted() {
            ended.set(Status.OK);
          }
        };
    Context.current()
        .withValue(Callers.CURRENT, caller)
        .run(() -> calls.promote(request, observer));
    return ended.get();
  }
}
