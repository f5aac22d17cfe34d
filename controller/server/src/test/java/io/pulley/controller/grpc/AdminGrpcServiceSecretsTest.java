package io.pulley.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.commands.DoneCommands;
import io.pulley.controller.events.Events;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.poll.HostPlans;
import io.pulley.controller.poll.PollHub;
import io.pulley.controller.promote.Promotions;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.RegistryFleet;
import io.pulley.controller.rollout.RevisionChooser;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.controller.secrets.SecretKeeper;
import io.pulley.controller.store.SqliteStore;
import io.pulley.testing.CapturedLogs;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.GetHostPlanRequest;
import io.pulley.v1.HostFacts;
import io.pulley.v1.ListSecretsRequest;
import io.pulley.v1.ListSecretsResponse;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.PollStatus;
import io.pulley.v1.SecretInfo;
import io.pulley.v1.SetSecretRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SetSecret and ListSecrets over gRPC: what is stored, who sees what, and which hosts re-plan. */
class AdminGrpcServiceSecretsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret-body\n"
          + "-----END OPENSSH PRIVATE KEY-----\n";
  private static final String STACK =
      """
      application: shop
      environment: prod
      hosts: {labels: {role: web}}
      stack:
        git: {url: "ssh://git@git.example.com/shop.git", ref: main, deploy_key_secret: deploy-key}
        web: {wsgi: shop.wsgi}
        site: {domains: [shop.example.com]}
        database: {}
      """;

  @TempDir Path dataDir;
  private SqliteStore store;
  private ScheduledExecutorService timer;
  private PollHub pollHub;
  private Server server;
  private ManagedChannel channel;
  private AdminServiceGrpc.AdminServiceBlockingStub admin;

  @BeforeEach
  void start() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    store = SqliteStore.open(dataDir);
    HostRegistry hosts = new HostRegistry(store, clock);
    ControllerMetrics metrics = ControllerMetrics.discarding();
    RevisionLog revisions =
        new RevisionLog(
            store,
            new ManifestCompiler((url, ref) -> RefResolution.resolved("a".repeat(40))),
            new SecretKeeper(store, new Random(3), clock),
            clock,
            metrics,
            event -> pollHub.plansChanged());
    HostPlans plans = new HostPlans(hosts, revisions);
    timer = Executors.newSingleThreadScheduledExecutor();
    pollHub =
        new PollHub(
            plans::planFor,
            hosts,
            timer,
            Runnable::run,
            new PollHub.HoldTime(Duration.ofMinutes(10), Duration.ofSeconds(1), new Random(1)),
            metrics);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(
                    new AdminGrpcService(
                        revisions,
                        hosts,
                        plans,
                        pollHub,
                        new RolloutCalls(
                            new Rollouts(
                                store,
                                hosts,
                                new RegistryFleet(hosts, clock, Duration.ofMinutes(3)),
                                new AuditTrail(store, clock),
                                clock,
                                revisions::get,
                                Events.NONE),
                            new AuditTrail(store, clock)),
                        new PromoteCalls(
                            new Promotions(
                                revisions,
                                hosts,
                                new RegistryFleet(hosts, clock, Duration.ofMinutes(3)),
                                app -> java.util.Optional.empty(),
                                store,
                                new AuditTrail(store, clock),
                                new io.pulley.controller.manifest.ManifestCompiler(
                                    new io.pulley.controller.manifest.JGitRefResolver())))),
                    new UnexpectedErrors(),
                    Actor.interceptor()))
            .addService(
                new AgentGrpcService(
                    pollHub,
                    hosts,
                    new DoneCommands(
                        store,
                        hosts,
                        new AuditTrail(store, clock),
                        clock,
                        revisions::get,
                        Events.NONE,
                        RevisionChooser.CURRENT),
                    metrics))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Metadata headers = new Metadata();
    headers.put(Actor.HEADER, "ann@laptop");
    admin =
        AdminServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @AfterEach
  void stop() throws Exception {
    pollHub.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
    store.close();
  }

  @Test
  void setSecret_saysCreatedThenReplaced_andListShowsItAsSetWithItsTime() {
    assertThat(admin.setSecret(set("deploy-key", KEY)).getCreated()).isTrue();
    assertThat(admin.setSecret(set("deploy-key", KEY + "x")).getCreated()).isFalse();

    ListSecretsResponse list = admin.listSecrets(list());

    assertThat(list.getSecretsList())
        .containsExactly(
            SecretInfo.newBuilder()
                .setName("deploy-key")
                .setGenerated(false)
                .setUpdatedAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()))
                .build());
    assertThat(store.secrets(new AppEnv("shop", "prod"))).containsEntry("deploy-key", KEY + "x");
  }

  @Test
  void applyWithADeployKey_isRejectedUntilTheKeyIsSet_thenListShowsGeneratedAndSetSecrets() {
    StatusRuntimeException rejected =
        catchThrowableOfType(StatusRuntimeException.class, () -> admin.applyManifest(apply()));
    assertThat(rejected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(rejected.getStatus().getDescription())
        .contains("stack.git.deploy_key_secret", "not set");

    admin.setSecret(set("deploy-key", KEY));
    assertThat(admin.applyManifest(apply()).getRevision().getNumber()).isEqualTo(1);

    assertThat(admin.listSecrets(list()).getSecretsList())
        .extracting(SecretInfo::getName, SecretInfo::getGenerated)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("database-password", true),
            org.assertj.core.groups.Tuple.tuple("deploy-key", false));
  }

  @Test
  void applyWithASecretVariable_isRejectedUntilItIsSet_andThePlanCarriesItOutsideTheFile()
      throws Exception {
    String yaml =
        STACK
            + """
              secret_environment:
                STRIPE_KEY: {secret: stripe-key}
                DJANGO_SECRET_KEY: {secret: django-secret-key, generate: true}
            """;
    ApplyManifestRequest request = apply().toBuilder().setManifestYaml(yaml).build();
    admin.setSecret(set("deploy-key", KEY));

    StatusRuntimeException rejected =
        catchThrowableOfType(StatusRuntimeException.class, () -> admin.applyManifest(request));
    assertThat(rejected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(rejected.getStatus().getDescription())
        .contains(
            "stack.secret_environment[\"STRIPE_KEY\"].secret: secret \"stripe-key\" is not set");
    assertThat(store.secrets(new AppEnv("shop", "prod"))).doesNotContainKey("django-secret-key");

    admin.setSecret(set("stripe-key", "sk_live_hunter2"));
    admin.applyManifest(request);
    PollResponse plan = poll("web-1", "web", "").get(30, TimeUnit.SECONDS);

    assertThat(plan.getPlan().getApps(0).getSecretsMap())
        .containsEntry("stripe-key", "sk_live_hunter2")
        .containsKeys("django-secret-key", "database-password");
    String resources = plan.getPlan().getApps(0).getResourcesList().toString();
    assertThat(resources)
        .contains("STRIPE_KEY=\\\"${secret:stripe-key|env}\\\"")
        .doesNotContain("sk_live_hunter2");
  }

  @Test
  void setSecret_givesHostsOfTheApplicationANewPlan_andAnswersTheirHeldPoll() throws Exception {
    admin.setSecret(set("deploy-key", KEY));
    admin.applyManifest(apply());
    String webBefore = planIdOf("web-1", "web");
    String dbBefore = planIdOf("db-1", "db");
    CompletableFuture<PollResponse> held = poll("web-1", "web", webBefore);
    assertThat(pollHub.isHeld("web-1")).isTrue();

    admin.setSecret(set("deploy-key", KEY.replace("secret-body", "rotated-body")));

    PollResponse answer = held.get(30, TimeUnit.SECONDS);
    assertThat(answer.getStatus()).isEqualTo(PollStatus.POLL_STATUS_NEW_PLAN);
    assertThat(answer.getPlan().getPlanId()).isNotEqualTo(webBefore);
    assertThat(answer.getPlan().getApps(0).getSecretsMap())
        .containsEntry("deploy-key", KEY.replace("secret-body", "rotated-body"));
    assertThat(hostPlanId("db-1")).isEqualTo(dbBefore);
  }

  @Test
  void setSecret_thatNoRevisionUses_leavesPlansAlone() throws Exception {
    admin.setSecret(set("deploy-key", KEY));
    admin.applyManifest(apply());
    String before = planIdOf("web-1", "web");

    admin.setSecret(set("unused", "value"));

    assertThat(hostPlanId("web-1")).isEqualTo(before);
  }

  @Test
  void setSecret_withMistakes_isInvalidArgumentNamingTheField() {
    assertRejected(set("deploy key", "hunter2-value"), "name", "not valid");
    assertRejected(set("deploy-key", ""), "value", "empty");
    assertRejected(set("deploy-key", "x".repeat(64 * 1024 + 1)), "value", "64 KiB");
    assertRejected(
        SetSecretRequest.newBuilder()
            .setApplication("Shop")
            .setEnvironment("prod")
            .setName("k")
            .setValue("hunter2-value")
            .build(),
        "application",
        "not a valid name");

    assertThat(admin.listSecrets(list()).getSecretsList()).isEmpty();
  }

  @Test
  void listSecrets_withoutAnEnvironment_isInvalidArgument() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                admin.listSecrets(ListSecretsRequest.newBuilder().setApplication("shop").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("environment: ");
  }

  @Test
  void theValue_neverAppearsInALogLineOrAnyResponse() throws Exception {
    StringBuilder responses = new StringBuilder();
    String logs;
    try (CapturedLogs captured = CapturedLogs.start()) {
      responses.append(admin.setSecret(set("deploy-key", KEY)));
      responses.append(admin.applyManifest(apply()));
      planIdOf("web-1", "web");
      responses.append(admin.setSecret(set("deploy-key", KEY)));
      responses.append(admin.listSecrets(list()));
      responses.append(
          admin.getHostPlan(GetHostPlanRequest.newBuilder().setHostId("web-1").build()));
      responses.append(
          catchThrowableOfType(
              StatusRuntimeException.class, () -> admin.setSecret(set("Bad", KEY))));
      logs = captured.text();
    }

    assertThat(logs).contains("secret deploy-key of shop/prod set by ann@laptop");
    String generated = store.secrets(new AppEnv("shop", "prod")).get("database-password");
    for (String value : new String[] {KEY, "secret-body", generated}) {
      assertThat(logs).doesNotContain(value);
      assertThat(responses.toString()).doesNotContain(value);
    }
    assertThat(responses.toString()).contains("(redacted)");
  }

  private void assertRejected(SetSecretRequest request, String field, String reason) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> admin.setSecret(request));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith(field + ": ")
        .contains(reason)
        .doesNotContain("hunter2");
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details.getDetailsList())
        .singleElement()
        .satisfies(
            any ->
                assertThat(any.unpack(BadRequest.class).getFieldViolations(0).getField())
                    .isEqualTo(field));
  }

  /** Polls once with an empty applied plan id, to register the host; returns its plan id. */
  private String planIdOf(String hostId, String role) throws Exception {
    return poll(hostId, role, "").get(30, TimeUnit.SECONDS).getPlan().getPlanId();
  }

  private String hostPlanId(String hostId) {
    return admin
        .getHostPlan(GetHostPlanRequest.newBuilder().setHostId(hostId).build())
        .getPlan()
        .getPlanId();
  }

  private CompletableFuture<PollResponse> poll(String hostId, String role, String applied) {
    CompletableFuture<PollResponse> answer = new CompletableFuture<>();
    AgentServiceGrpc.newStub(channel)
        .poll(
            PollRequest.newBuilder()
                .setHostId(hostId)
                .setAppliedPlanId(applied)
                .setFacts(HostFacts.newBuilder().putLabels("role", role))
                .build(),
            new StreamObserver<>() {
              @Override
              public void onNext(PollResponse response) {
                answer.complete(response);
              }

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
    return answer;
  }

  private static ApplyManifestRequest apply() {
    return ApplyManifestRequest.newBuilder()
        .setManifestYaml(STACK)
        .setSourceName("shop.yaml")
        .build();
  }

  private static SetSecretRequest set(String name, String value) {
    return SetSecretRequest.newBuilder()
        .setApplication("shop")
        .setEnvironment("prod")
        .setName(name)
        .setValue(value)
        .build();
  }

  private static ListSecretsRequest list() {
    return ListSecretsRequest.newBuilder().setApplication("shop").setEnvironment("prod").build();
  }
}
