package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.store.SqliteStore;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.GetHostReportRequest;
import io.pulley.v1.HostState;
import io.pulley.v1.InterruptedApply;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import io.pulley.v1.ReportRequest;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.wire.WireLimits;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever agents report, the controller's heap, its store and `pulley status` stay bounded. */
class ReportLimitsTest {
  private static final String ESC = "\u001b";

  @TempDir Path temp;
  private ControllerServer server;
  private ManagedChannel channel;

  private void start() throws Exception {
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
    server =
        ControllerServer.start(
            ControllerConfig.insecure(temp, local), new JGitRefResolver(), Clock.systemUTC());
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(WireLimits.MAX_CLIENT_INBOUND_BYTES)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void report_withMoreResultsThanTheLimit_isRefusedNamingIt() throws Exception {
    start();
    ApplyReport.Builder report = ApplyReport.newBuilder().setHostId("web-1");
    for (int i = 0; i <= WireLimits.MAX_REPORT_RESULTS; i++) {
      report.addResults(failed("r" + i, ""));
    }

    assertRefusedNaming(report.build(), "resource results", WireLimits.MAX_REPORT_RESULTS);
  }

  @Test
  void interruptedApply_isRefusedOverTheNameLimit_andStoredWithoutControls() throws Exception {
    start();
    ApplyReport tooLong =
        ApplyReport.newBuilder()
            .setHostId("web-1")
            .setInterrupted(
                InterruptedApply.newBuilder()
                    .setResourceId("r".repeat(WireLimits.MAX_NAME_CHARS + 1)))
            .build();
    assertThat(refused(tooLong).getStatus().getDescription()).contains("interrupted apply");

    agent()
        .report(
            ReportRequest.newBuilder()
                .setReport(
                    ApplyReport.newBuilder()
                        .setHostId("web-1")
                        .setInterrupted(
                            InterruptedApply.newBuilder()
                                .setPlanId("p0")
                                .setResourceId("venv" + ESC + "]0;owned\u0007")))
                .build());
    ApplyReport stored =
        admin()
            .getHostReport(GetHostReportRequest.newBuilder().setHostId("web-1").build())
            .getReport();
    assertThat(stored.getInterrupted().getResourceId()).startsWith("venv").doesNotContain(ESC);
    assertThat(stored.getInterrupted().getPlanId()).isEqualTo("p0");
  }

  @Test
  void report_ofThreeMegabytes_isRefusedNamingTheByteLimit() throws Exception {
    start();
    ApplyReport report =
        ApplyReport.newBuilder()
            .setHostId("web-1")
            // Reason and tail: 3 MiB in all, under the message limit and over the report's.
            .addResults(failed("big", "x".repeat(1536 * 1024)))
            .build();

    assertRefusedNaming(report, "bytes", WireLimits.MAX_REPORT_BYTES);
  }

  @Test
  void report_overTheMessageLimit_isRefusedByGrpc() throws Exception {
    start();
    ApplyReport report =
        ApplyReport.newBuilder()
            .setHostId("web-1")
            .addResults(failed("big", "x".repeat(WireLimits.MAX_SERVER_INBOUND_BYTES + 1)))
            .build();

    StatusRuntimeException e = refused(report);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void largeReports_areCutAndListHostsSendsSummaries() throws Exception {
    start();
    for (String host : new String[] {"web-1", "web-2"}) {
      ApplyReport.Builder report =
          ApplyReport.newBuilder().setHostId(host).setOutcome(ApplyOutcome.APPLY_OUTCOME_FAILED);
      for (int i = 0; i < 50; i++) {
        report.addResults(failed("r" + i, ESC + "]0;owned" + "\u0007" + "y".repeat(9000)));
      }
      agent().report(ReportRequest.newBuilder().setReport(report).build());
    }

    ListHostsResponse hosts = admin().listHosts(ListHostsRequest.getDefaultInstance());
    ApplyReport stored =
        admin()
            .getHostReport(GetHostReportRequest.newBuilder().setHostId("web-1").build())
            .getReport();

    assertThat(hosts.getSerializedSize()).isLessThan(4096);
    HostState first = hosts.getHosts(0);
    assertThat(first.hasLastReport()).isFalse();
    assertThat(first.getLastReportSummary().getFailed()).isEqualTo(50);
    assertThat(first.getLastReportSummary().getFirstFailure().getReason())
        .hasSizeLessThanOrEqualTo(WireLimits.MAX_SUMMARY_REASON_CHARS)
        .doesNotContain(ESC);
    ResourceResult result = stored.getResults(0);
    assertThat(result.getOutputTail())
        .hasSize(WireLimits.MAX_OUTPUT_TAIL_CHARS)
        .startsWith("[cut]")
        .endsWith("y");
    assertThat(result.getReason()).startsWith("^[]0;owned^G").endsWith("[cut]");
    assertThat(result.getReason()).hasSizeLessThanOrEqualTo(WireLimits.MAX_REASON_CHARS);
  }

  @Test
  void anOversizedStoredReport_isDroppedAtStart_andTheControllerStarts() throws Exception {
    ApplyReport huge =
        ApplyReport.newBuilder()
            .setHostId("web-1")
            .addResults(failed("big", "x".repeat(3 * 1024 * 1024)))
            .build();
    ApplyReport escaped =
        ApplyReport.newBuilder().setHostId("web-2").addResults(failed("r", ESC + "[2J")).build();
    try (SqliteStore store = SqliteStore.open(temp)) {
      store.putHost(HostState.newBuilder().setHostId("web-1").setLastReport(huge).build());
      store.putHost(HostState.newBuilder().setHostId("web-2").setLastReport(escaped).build());
    }

    start();

    ListHostsResponse hosts = admin().listHosts(ListHostsRequest.getDefaultInstance());
    assertThat(hosts.getHostsList())
        .extracting(HostState::getHostId)
        .containsExactly("web-1", "web-2");
    assertThat(hosts.getHosts(0).hasLastReportSummary()).isFalse();
    ApplyReport second =
        admin()
            .getHostReport(GetHostReportRequest.newBuilder().setHostId("web-2").build())
            .getReport();
    assertThat(second.getResults(0).getOutputTail()).isEqualTo("^[[2J");
  }

  private void assertRefusedNaming(ApplyReport report, String what, int limit) {
    StatusRuntimeException e = refused(report);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains(what).contains("the limit is " + limit);
  }

  private StatusRuntimeException refused(ApplyReport report) {
    return catchThrowableOfType(
        StatusRuntimeException.class,
        () -> agent().report(ReportRequest.newBuilder().setReport(report).build()));
  }

  private static ResourceResult failed(String id, String text) {
    return ResourceResult.newBuilder()
        .setApplication("shop")
        .setEnvironment("prod")
        .setResourceId(id)
        .setOutcome(ResourceOutcome.RESOURCE_OUTCOME_FAILED)
        .setReason(text)
        .setOutputTail(text)
        .build();
  }

  private AgentServiceGrpc.AgentServiceBlockingStub agent() {
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }
}
