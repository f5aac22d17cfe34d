package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.pulley.controller.server.ForeignClient.Call;
import io.pulley.controller.server.ForeignClient.Identity;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.Credentials;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.Pem;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.PollRequest;
import io.pulley.v1.ReportRequest;
import io.pulley.v1.RevokeHostRequest;
import io.pulley.v1.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal the controller promises, seen by a client that is not ours (Python's grpcio over
 * real TLS): without a certificate, with another CA's, as a host calling the admin API, as host A
 * speaking for B, revoked (an open long-poll included), with an expired or used-up token, as a
 * viewer applying, and in plaintext.
 */
class ForeignClientTest {
  private static final List<String> EVERY_ADMIN_AND_AGENT_METHOD =
      methods(
          AdminServiceGrpc.getServiceDescriptor(),
          AccessServiceGrpc.getServiceDescriptor(),
          AgentServiceGrpc.getServiceDescriptor());

  @TempDir Path temp;
  private TrustedController controller;
  private ForeignClient foreign;
  private Credentials admin;
  private String caPem;

  @BeforeEach
  void start() throws IOException {
    controller = new TrustedController(temp.resolve("controller"));
    foreign = new ForeignClient(temp, controller.server.port());
    admin = controller.firstAdmin();
    caPem = Pem.of(admin.ca());
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  @Test
  void withoutAClientCertificate_everyMethodButEnrolIsUnauthenticated() throws Exception {
    Map<String, String> outcomes =
        foreign.call(Identity.anonymous(caPem), empty(EVERY_ADMIN_AND_AGENT_METHOD));

    assertThat(outcomes).hasSize(EVERY_ADMIN_AND_AGENT_METHOD.size());
    assertThat(outcomes.values()).containsOnly("UNAUTHENTICATED");
    assertThat(
            foreign.call(
                Identity.anonymous(caPem),
                empty(List.of(method(EnrolServiceGrpc.getRenewMethod())))))
        .containsValue("UNAUTHENTICATED");
  }

  @Test
  void aCertificateFromAnotherCa_failsTheHandshake() throws Exception {
    CertificateAuthority other =
        CertificateAuthority.loadOrCreate(temp.resolve("other-ca"), controller.clock);
    KeyPair keys = KeyPairs.generate();
    String certificate =
        Pem.of(
            other.issueClient(
                keys.getPublic(), io.pulley.trust.Identity.host("web-1"), Duration.ofDays(1)));

    Map<String, String> outcomes =
        foreign.call(
            new Identity(caPem, certificate, Pem.of(keys.getPrivate())),
            empty(EVERY_ADMIN_AND_AGENT_METHOD));

    assertThat(outcomes.values()).containsOnly("UNAVAILABLE");
  }

  @Test
  void plaintext_isRefused() throws Exception {
    assertThat(foreign.call(Identity.PLAINTEXT, empty(EVERY_ADMIN_AND_AGENT_METHOD)).values())
        .containsOnly("UNAVAILABLE");
  }

  @Test
  void aHost_mayNotCallTheAdminApi_norSpeakForAnotherHost() throws Exception {
    Credentials webA = host("web-a");
    host("web-b");
    List<Call> calls = new ArrayList<>();
    calls.addAll(
        empty(
            methods(
                AdminServiceGrpc.getServiceDescriptor(),
                AccessServiceGrpc.getServiceDescriptor())));
    calls.add(Call.of(method(AgentServiceGrpc.getPollMethod()), pollAs("web-b")));
    calls.add(Call.of(method(AgentServiceGrpc.getReportMethod()), reportAs("web-b")));

    Map<String, String> outcomes = foreign.call(as(webA), calls);
    Map<String, String> own =
        foreign.call(
            as(webA), List.of(Call.of(method(AgentServiceGrpc.getPollMethod()), pollAs("web-a"))));

    assertThat(outcomes).hasSize(calls.size());
    assertThat(outcomes.values()).containsOnly("PERMISSION_DENIED");
    assertThat(own).containsValue("OK");
  }

  @Test
  void aRevokedHost_isCutOff_evenInTheMiddleOfAHeldPoll() throws Exception {
    Credentials web = host("web-r");
    String poll = method(AgentServiceGrpc.getPollMethod());

    // Up to date, so the poll is held until the plan changes or the hold ends.
    PollRequest upToDate =
        PollRequest.newBuilder().setAppliedPlanId(controller.planOf(web).getPlanId()).build();

    Map<String, String> held =
        foreign.call(
            as(web),
            List.of(new Call(poll, upToDate.toByteArray(), true)),
            () -> {
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> controller.server.heldPolls() == 1);
              AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
                  .revokeHost(RevokeHostRequest.newBuilder().setHostId("web-r").build());
            });
    Map<String, String> after = foreign.call(as(web), List.of(Call.of(poll, pollAs("web-r"))));

    assertThat(held).containsEntry(poll, "UNAUTHENTICATED");
    assertThat(after).containsEntry(poll, "UNAUTHENTICATED");
  }

  @Test
  void anExpiredOrUsedUpToken_enrolsNobody() throws Exception {
    String once = controller.hostToken(admin, Map.of("role", "web"), 1);
    controller.enrol(once, "web-once");
    String expiring =
        AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
            .createToken(
                io.pulley.v1.CreateTokenRequest.newBuilder().setUses(5).setTtlSeconds(60).build())
            .getToken();
    controller.clock.advance(Duration.ofMinutes(2));
    String enrol = method(EnrolServiceGrpc.getEnrolMethod());

    Map<String, String> used =
        foreign.call(
            Identity.anonymous(caPem), List.of(Call.of(enrol, enrolRequest(once, "web-again"))));
    Map<String, String> expired =
        foreign.call(
            Identity.anonymous(caPem), List.of(Call.of(enrol, enrolRequest(expiring, "web-late"))));

    assertThat(used).containsEntry(enrol, "UNAUTHENTICATED");
    assertThat(expired).containsEntry(enrol, "UNAUTHENTICATED");
  }

  @Test
  void aViewer_readsButMayNotApply() throws Exception {
    Credentials viewer = controller.admin(admin, "vera", Role.ROLE_VIEWER);
    String apply = method(AdminServiceGrpc.getApplyManifestMethod());
    String listHosts = method(AdminServiceGrpc.getListHostsMethod());

    Map<String, String> outcomes =
        foreign.call(
            as(viewer),
            List.of(
                Call.of(
                    apply,
                    ApplyManifestRequest.newBuilder()
                        .setManifestYaml("application: a\nenvironment: b\n")
                        .build()
                        .toByteArray()),
                Call.of(listHosts, new byte[0])));

    assertThat(outcomes).containsEntry(apply, "PERMISSION_DENIED").containsEntry(listHosts, "OK");
  }

  @Test
  void garbageInsteadOfAHandshake_isDropped_andHostsAreStillServed() throws Exception {
    Credentials web = host("web-g");
    java.util.Random random = new java.util.Random(15);
    for (int i = 0; i < 20; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", controller.server.port())) {
        socket.setSoTimeout(30_000);
        byte[] garbage = new byte[1 + random.nextInt(8192)];
        random.nextBytes(garbage);
        if (i % 2 == 0) {
          garbage[0] = 0x16; // a TLS handshake record's type, so the parser reads further
        }
        socket.getOutputStream().write(garbage);
        socket.shutdownOutput();
        // The controller ends the connection (an alert, then EOF) and keeps nothing of it.
        while (socket.getInputStream().read() >= 0) {
          // drain what the controller says before it closes
        }
      } catch (java.net.SocketException reset) {
        // a reset is an end too
      }
    }

    Map<String, String> stillServed =
        foreign.call(
            as(web), List.of(Call.of(method(AgentServiceGrpc.getPollMethod()), pollAs("web-g"))));

    assertThat(stillServed).containsValue("OK");
  }

  private Credentials host(String id) {
    return controller.enrol(controller.hostToken(admin, Map.of("role", "web"), 1), id);
  }

  private static Identity as(Credentials credentials) {
    return new Identity(
        Pem.of(credentials.ca()), Pem.of(credentials.certificate()), Pem.of(credentials.key()));
  }

  private static byte[] pollAs(String hostId) {
    return PollRequest.newBuilder().setHostId(hostId).setNoHold(true).build().toByteArray();
  }

  private static byte[] reportAs(String hostId) {
    return ReportRequest.newBuilder()
        .setReport(ApplyReport.newBuilder().setHostId(hostId))
        .build()
        .toByteArray();
  }

  private static byte[] enrolRequest(String token, String hostId) {
    return EnrolRequest.newBuilder()
        .setToken(BootstrapToken.parse(token).secretPart())
        .setCertificateRequest(
            com.google.protobuf.ByteString.copyFrom(
                CertificateRequests.create(KeyPairs.generate(), hostId)))
        .build()
        .toByteArray();
  }

  private static List<Call> empty(List<String> methods) {
    return methods.stream().map(name -> Call.of(name, new byte[0])).toList();
  }

  private static String method(MethodDescriptor<?, ?> descriptor) {
    return "/" + descriptor.getFullMethodName();
  }

  private static List<String> methods(ServiceDescriptor... services) {
    List<String> names = new ArrayList<>();
    for (ServiceDescriptor service : services) {
      service.getMethods().stream().map(ForeignClientTest::method).sorted().forEach(names::add);
    }
    return names;
  }
}
