package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.ClientTls;
import io.pulley.trust.Credentials;
import io.pulley.trust.Identity;
import io.pulley.trust.KeyPairs;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.ReportRequest;
import io.pulley.v1.RevokeHostRequest;
import io.pulley.v1.Role;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every call over real TLS is refused unless the caller's certificate allows it. */
class AuthenticationTest extends TrustedControllerTest {
  static final String MANIFEST =
      """
      application: %s
      environment: test
      hosts: {labels: {role: %s}}
      resources:
        - directory: {path: /srv/%s}
      """;

  @Test
  void withoutClientCertificate_everyAdminAndAgentMethodIsUnauthenticated() {
    ManagedChannel anonymous = controller.pinned();
    for (ServiceDescriptor service :
        new ServiceDescriptor[] {
          AdminServiceGrpc.getServiceDescriptor(),
          AgentServiceGrpc.getServiceDescriptor(),
          AccessServiceGrpc.getServiceDescriptor()
        }) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        assertThat(callWithEmptyRequest(anonymous, method.getFullMethodName()).getCode())
            .as(method.getFullMethodName())
            .isEqualTo(Status.Code.UNAUTHENTICATED);
      }
    }
  }

  @Test
  void certificateFromAnotherCa_failsTheHandshake() throws IOException {
    CertificateAuthority other =
        CertificateAuthority.loadOrCreate(temp.resolve("other-ca"), controller.clock);
    KeyPair keys = KeyPairs.generate();
    Credentials forged =
        new Credentials(
            keys.getPrivate(),
            other.issueClient(keys.getPublic(), Identity.admin("admin"), Duration.ofHours(1)),
            other.certificate());
    ManagedChannel channel =
        controller.channel(ClientTls.mutual(ClientTls.keyManager(forged), admin.ca()));

    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                AdminServiceGrpc.newBlockingStub(channel)
                    .listHosts(ListHostsRequest.getDefaultInstance()));

    assertThat(refused.getStatus().getCode())
        .isIn(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED);
  }

  @Test
  void hostCertificate_isDeniedOnAdminService_andAdminCertificateOnAgentService() {
    Credentials host = enrolHost("web-1", "web");

    Status asAdmin =
        status(
            () ->
                AdminServiceGrpc.newBlockingStub(controller.mutual(host))
                    .listHosts(ListHostsRequest.getDefaultInstance()));
    Status asHost =
        status(
            () ->
                AgentServiceGrpc.newBlockingStub(controller.mutual(admin))
                    .poll(PollRequest.newBuilder().setNoHold(true).build()));

    assertThat(asAdmin.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(asAdmin.getDescription()).isEqualTo("host web-1: needs the viewer role");
    assertThat(asHost.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void hostA_cannotPollOrReportAsHostB() {
    Credentials a = enrolHost("web-1", "web");
    var agent = AgentServiceGrpc.newBlockingStub(controller.mutual(a));

    Status poll =
        status(
            () -> agent.poll(PollRequest.newBuilder().setHostId("web-2").setNoHold(true).build()));
    Status report =
        status(
            () ->
                agent.report(
                    ReportRequest.newBuilder()
                        .setReport(ApplyReport.newBuilder().setHostId("web-2"))
                        .build()));

    assertThat(poll.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(poll.getDescription())
        .isEqualTo("this certificate speaks for host web-1, not \"web-2\"");
    assertThat(report.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            agent
                .poll(PollRequest.newBuilder().setHostId("web-1").setNoHold(true).build())
                .getPlan()
                .getHostId())
        .isEqualTo("web-1");
  }

  @Test
  void revokedHost_losesItsHeldPollAtOnce_andEveryLaterCall() throws Exception {
    Credentials host = enrolHost("web-1", "web");
    ManagedChannel channel = controller.mutual(host);
    String applied =
        AgentServiceGrpc.newBlockingStub(channel)
            .poll(PollRequest.newBuilder().setNoHold(true).build())
            .getPlan()
            .getPlanId();
    CompletableFuture<Status> held = new CompletableFuture<>();
    AgentServiceGrpc.newStub(channel)
        .poll(PollRequest.newBuilder().setAppliedPlanId(applied).build(), observer(held));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> controller.server.heldPolls() == 1);

    AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
        .revokeHost(RevokeHostRequest.newBuilder().setHostId("web-1").build());

    Status ended = held.get(10, TimeUnit.SECONDS);
    assertThat(ended.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(ended.getDescription()).isEqualTo("host web-1 is revoked");
    Status later =
        status(
            () ->
                AgentServiceGrpc.newBlockingStub(channel)
                    .poll(PollRequest.newBuilder().setNoHold(true).build()));
    assertThat(later.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(later.getDescription()).isEqualTo("host web-1 is revoked");
  }

  @Test
  void viewerCannotApply_deployerCan() {
    Credentials viewer = controller.admin(admin, "vera", Role.ROLE_VIEWER);
    Credentials deployer = controller.admin(admin, "dora", Role.ROLE_DEPLOYER);
    ApplyManifestRequest apply =
        ApplyManifestRequest.newBuilder()
            .setManifestYaml(MANIFEST.formatted("shop", "web", "shop"))
            .setSourceName("shop.yaml")
            .build();

    Status refused =
        status(
            () -> AdminServiceGrpc.newBlockingStub(controller.mutual(viewer)).applyManifest(apply));
    var accepted =
        AdminServiceGrpc.newBlockingStub(controller.mutual(deployer)).applyManifest(apply);

    assertThat(refused.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(refused.getDescription()).isEqualTo("admin vera: needs the deployer role");
    assertThat(accepted.getRevision().getAppliedBy()).isEqualTo("admin dora");
    assertThat(
            AdminServiceGrpc.newBlockingStub(controller.mutual(viewer))
                .listHosts(ListHostsRequest.getDefaultInstance())
                .getInsecure())
        .isFalse();
  }

  @Test
  void scopedDeployer_changesOnlyWhatItsScopesMatch() {
    Credentials deployer = controller.admin(admin, "dora", Role.ROLE_DEPLOYER, "shop/*");
    var stub = AdminServiceGrpc.newBlockingStub(controller.mutual(deployer));

    var shop =
        stub.applyManifest(
            ApplyManifestRequest.newBuilder()
                .setManifestYaml(MANIFEST.formatted("shop", "web", "shop"))
                .build());
    Status ledger =
        status(
            () ->
                stub.applyManifest(
                    ApplyManifestRequest.newBuilder()
                        .setManifestYaml(MANIFEST.formatted("ledger", "db", "ledger"))
                        .build()));

    assertThat(shop.getChanged()).isTrue();
    assertThat(ledger.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(ledger.getDescription())
        .isEqualTo("admin dora may change only shop/*, not ledger/test");
  }

  private Credentials enrolHost(String hostId, String role) {
    return controller.enrol(controller.hostToken(admin, Map.of("role", role), 1), hostId);
  }

  static Status status(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
  }

  private static StreamObserver<PollResponse> observer(CompletableFuture<Status> ended) {
    return new StreamObserver<>() {
      @Override
      public void onNext(PollResponse value) {}

      @Override
      public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended.complete(Status.OK);
      }
    };
  }

  /** Calls any unary method by name with an empty message (valid for every proto request). */
  private static Status callWithEmptyRequest(ManagedChannel channel, String fullMethodName) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(fullMethodName)
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    return status(
        () -> ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, new byte[0]));
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
}
