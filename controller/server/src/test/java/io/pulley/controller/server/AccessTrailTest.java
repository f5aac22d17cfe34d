package io.pulley.controller.server;

import static io.pulley.controller.server.AuthenticationTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.pulley.trust.Credentials;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.LabelHostRequest;
import io.pulley.v1.ListAccessEventsRequest;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.RevokeHostRequest;
import io.pulley.v1.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access trail: every change of who may reach the fleet, with who made it. */
class AccessTrailTest extends TrustedControllerTest {

  @Test
  void tokenEnrolmentRelabelAndRevoke_areRecordedNewestFirst_withWhoDidThem() {
    String token = controller.hostToken(admin, Map.of("role", "web"), 1);
    controller.enrol(token, "web-1");
    var access = AccessServiceGrpc.newBlockingStub(controller.mutual(admin));
    access.labelHost(LabelHostRequest.newBuilder().setHostId("web-1").putSet("tier", "1").build());
    access.revokeHost(RevokeHostRequest.newBuilder().setHostId("web-1").build());

    List<String> lines = lines(access.listAccessEvents(request(4)).getEventsList());

    assertThat(lines)
        .hasSize(4)
        .satisfiesExactly(
            revoke -> assertThat(revoke).isEqualTo("host | admin admin | host web-1 revoked"),
            label ->
                assertThat(label)
                    .isEqualTo("host | admin admin | host web-1 labelled role=web,tier=1"),
            enrol ->
                assertThat(enrol)
                    .startsWith("host | token ")
                    .contains("host web-1 enrolled, key ")
                    .endsWith(", labels role=web"),
            create ->
                assertThat(create)
                    .startsWith("token | admin admin | host token ")
                    .contains(" created: 1 uses, labels role=web, expires "));
  }

  @Test
  void theTrail_holdsNoTokenSecret_andStaysOutOfEveryApplicationsHistory() {
    String token = controller.hostToken(admin, Map.of("role", "web"), 1);
    String secret = token.substring(token.lastIndexOf('.') + 1);

    List<AuditEvent> events =
        AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
            .listAccessEvents(request(0))
            .getEventsList();

    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.getApplication()).isEmpty());
    assertThat(events.toString()).doesNotContain(secret);
    assertThat(
            AdminServiceGrpc.newBlockingStub(controller.mutual(admin))
                .listHosts(ListHostsRequest.getDefaultInstance())
                .getHostsCount())
        .isZero();
  }

  @Test
  void aViewer_cannotReadTheAccessTrail() {
    Credentials viewer = controller.admin(admin, "vera", Role.ROLE_VIEWER);

    Status refused =
        status(
            () ->
                AccessServiceGrpc.newBlockingStub(controller.mutual(viewer))
                    .listAccessEvents(request(10)));

    assertThat(refused.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void anAdminRenewingWithANewKey_retiresTheOldKey_andTheChangeIsRecorded() {
    Credentials alice = controller.admin(admin, "alice", Role.ROLE_DEPLOYER);
    Credentials next = controller.renewWithNewKey(alice, "alice");
    ListHostsRequest list = ListHostsRequest.getDefaultInstance();

    assertThat(AdminServiceGrpc.newBlockingStub(controller.mutual(next)).listHosts(list))
        .isNotNull();
    Status old =
        status(() -> AdminServiceGrpc.newBlockingStub(controller.mutual(alice)).listHosts(list));
    assertThat(old.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            lines(
                AccessServiceGrpc.newBlockingStub(controller.mutual(admin))
                    .listAccessEvents(request(1))
                    .getEventsList()))
        .singleElement()
        .asString()
        .startsWith("admin | admin alice | admin alice changed its key to ");
  }

  private static ListAccessEventsRequest request(int limit) {
    return ListAccessEventsRequest.newBuilder().setLimit(limit).build();
  }

  private static List<String> lines(List<AuditEvent> events) {
    return events.stream()
        .map(e -> e.getKind() + " | " + e.getActor() + " | " + e.getDetail())
        .toList();
  }
}
