package io.pulley.controller.server;

import static io.pulley.controller.server.AuthenticationTest.MANIFEST;
import static io.pulley.controller.server.AuthenticationTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.pulley.controller.access.Access;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.Credentials;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.Pem;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApproveHostRequest;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.EnrolStatus;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.LabelHostRequest;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.PollRequest;
import io.pulley.v1.RenewRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Enrolment and renewal against a real controller over TLS. */
class EnrolmentTest extends TrustedControllerTest {
  @Test
  void enrolledHost_pollsItsOwnPlan_selectedByTheTokensLabels_notByItsFacts() {
    var deploy = AdminServiceGrpc.newBlockingStub(controller.mutual(admin));
    for (String[] app : new String[][] {{"shop", "web"}, {"ledger", "db"}}) {
      deploy.applyManifest(
          ApplyManifestRequest.newBuilder()
              .setManifestYaml(MANIFEST.formatted(app[0], app[1], app[0]))
              .build());
    }
    Credentials host =
        controller.enrol(controller.hostToken(admin, Map.of("role", "web"), 1), "web-1");

    HostPlan plan =
        AgentServiceGrpc.newBlockingStub(controller.mutual(host))
            .poll(
                PollRequest.newBuilder()
                    .setFacts(HostFacts.newBuilder().putLabels("role", "db"))
                    .setNoHold(true)
                    .build())
            .getPlan();

    assertThat(plan.getHostId()).isEqualTo("web-1");
    assertThat(plan.toString()).contains("/srv/shop").doesNotContain("/srv/ledger");
    assertThat(
            deploy
                .listHosts(ListHostsRequest.getDefaultInstance())
                .getHosts(0)
                .getFacts()
                .getLabelsMap())
        .containsExactly(Map.entry("role", "web"));
  }

  @Test
  void labellingAHost_answersItsHeldPollWithThePlanOfItsNewLabels() throws Exception {
    AdminServiceGrpc.newBlockingStub(controller.mutual(admin))
        .applyManifest(
            ApplyManifestRequest.newBuilder()
                .setManifestYaml(MANIFEST.formatted("ledger", "db", "ledger"))
                .build());
    Credentials host =
        controller.enrol(controller.hostToken(admin, Map.of("role", "web"), 1), "web-1");
    var agent = AgentServiceGrpc.newFutureStub(controller.mutual(host));
    String applied =
        agent.poll(PollRequest.newBuilder().setNoHold(true).build()).get().getPlan().getPlanId();
    var held = agent.poll(PollRequest.newBuilder().setAppliedPlanId(applied).build());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> controller.server.heldPolls() == 1);

    AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
        .labelHost(LabelHostRequest.newBuilder().setHostId("web-1").putSet("role", "db").build());

    assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).getPlan().toString())
        .contains("/srv/ledger");
  }

  @Test
  void renewal_withANewKey_givesACertificateThatWorks() {
    Credentials host =
        controller.enrol(controller.hostToken(admin, Map.of("role", "web"), 1), "web-1");
    Credentials next = controller.renewWithNewKey(host, "web-1");

    assertThat(controller.planOf(next).getHostId()).isEqualTo("web-1");
  }

  @Test
  void renewal_forAnotherName_isDenied() {
    Credentials host =
        controller.enrol(controller.hostToken(admin, Map.of("role", "web"), 1), "web-1");

    Status refused =
        status(
            () ->
                EnrolServiceGrpc.newBlockingStub(controller.mutual(host))
                    .renew(
                        RenewRequest.newBuilder()
                            .setCertificateRequest(
                                ByteString.copyFrom(
                                    CertificateRequests.create(KeyPairs.generate(), "web-2")))
                            .build()));

    assertThat(refused.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void malformedCertificateRequest_isRefusedWithAReason() {
    String token = controller.hostToken(admin, Map.of(), 1);

    Status refused =
        status(
            () ->
                EnrolServiceGrpc.newBlockingStub(controller.pinned())
                    .enrol(
                        EnrolRequest.newBuilder()
                            .setToken(BootstrapToken.parse(token).secretPart())
                            .setCertificateRequest(ByteString.copyFromUtf8("not a request"))
                            .build()));

    assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getDescription()).isEqualTo("certificate_request is not a PKCS#10 request");
  }

  @Test
  void expiredToken_isRefused() {
    String token = controller.hostToken(admin, Map.of(), 5);
    controller.clock.advance(Duration.ofHours(2));

    Status refused = status(() -> controller.enrol(token, "web-1"));

    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(refused.getDescription()).startsWith("token ").contains(" expired at ");
  }

  @Test
  void usedUpToken_isRefused() {
    String token = controller.hostToken(admin, Map.of(), 1);
    controller.enrol(token, "web-1");

    Status refused = status(() -> controller.enrol(token, "web-2"));

    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(refused.getDescription()).endsWith(" has been used up");
  }

  @Test
  void hostEnrolledWithAnotherKey_isRefusedUntilRemoved() {
    String token = controller.hostToken(admin, Map.of(), 2);
    controller.enrol(token, "web-1");

    Status refused = status(() -> controller.enrol(token, "web-1"));

    assertThat(refused.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(refused.getDescription())
        .isEqualTo(
            "host web-1 is enrolled with another key; remove it first: pulley hosts remove web-1");
  }

  @Test
  void firstAdminToken_worksOnce_andItsFileIsGone() throws IOException {
    Path file = controller.dataDir.resolve(Access.FIRST_ADMIN_FILE);
    assertThat(file).doesNotExist();

    Status refused = status(() -> controller.enrol(controller.firstAdminTokenUsed(), "admin"));

    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void withoutToken_aHostWaitsForApproval_thenGetsTheApprovedLabels() {
    KeyPair keys = KeyPairs.generate();
    EnrolRequest ask =
        EnrolRequest.newBuilder()
            .setCertificateRequest(ByteString.copyFrom(CertificateRequests.create(keys, "web-9")))
            .putRequestedLabels("role", "db")
            .build();
    var enrol = EnrolServiceGrpc.newBlockingStub(controller.pinned());

    EnrolResponse pending = enrol.enrol(ask);
    AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
        .approveHost(
            ApproveHostRequest.newBuilder()
                .setHostId("web-9")
                .setKeyFingerprint(pending.getKeyFingerprint())
                .putLabels("role", "web")
                .setReplaceLabels(true)
                .build());
    EnrolResponse issued = enrol.enrol(ask);

    assertThat(pending.getStatus()).isEqualTo(EnrolStatus.ENROL_STATUS_PENDING);
    assertThat(issued.getStatus()).isEqualTo(EnrolStatus.ENROL_STATUS_ISSUED);
    Credentials host =
        new Credentials(
            keys.getPrivate(),
            Pem.certificate(issued.getCertificate().toByteArray()),
            Pem.certificate(issued.getCaCertificate().toByteArray()));
    AgentServiceGrpc.newBlockingStub(controller.mutual(host))
        .poll(PollRequest.newBuilder().setNoHold(true).build());
    assertThat(
            AdminServiceGrpc.newBlockingStub(controller.mutual(admin))
                .listHosts(ListHostsRequest.getDefaultInstance())
                .getHosts(0)
                .getFacts()
                .getLabelsMap())
        .containsExactly(Map.entry("role", "web"));
  }

  @Test
  void floodOfEnrolments_isRefused_whileEnrolledHostsKeepPolling() {
    Credentials host =
        controller.enrol(controller.hostToken(admin, Map.of("role", "web"), 1), "web-1");
    EnrolRequest garbage =
        EnrolRequest.newBuilder().setCertificateRequest(ByteString.copyFromUtf8("x")).build();
    var enrol = EnrolServiceGrpc.newBlockingStub(controller.pinned());

    Status last = Status.OK;
    for (int i = 0; i < 30; i++) {
      last = status(() -> enrol.enrol(garbage));
    }

    assertThat(last.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(controller.planOf(host).getHostId()).isEqualTo("web-1");
  }

  @Test
  void dataDir_holdsNoHostPrivateKey() throws IOException {
    KeyPair keys = KeyPairs.generate();
    BootstrapToken token = BootstrapToken.parse(controller.hostToken(admin, Map.of(), 1));
    controller.enrolResponse(token.text(), CertificateRequests.create(keys, "web-1"));
    controller.server.close(); // flushes the store
    byte[] der = keys.getPrivate().getEncoded();
    String pem = Pem.of(keys.getPrivate());
    byte[] scalar = ((ECPrivateKey) keys.getPrivate()).getS().toByteArray();

    List<Path> files;
    try (Stream<Path> walk = Files.walk(controller.dataDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }

    assertThat(files).isNotEmpty();
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      String text = new String(content, StandardCharsets.ISO_8859_1);
      assertThat(indexOf(content, der)).as(file.toString()).isNegative();
      assertThat(indexOf(content, scalar)).as(file.toString()).isNegative();
      assertThat(text).as(file.toString()).doesNotContain(pem);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
