package io.pulley.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.GetHostReportRequest;
import io.pulley.v1.GetHostReportResponse;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostState;
import io.pulley.v1.InterruptedApply;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import io.pulley.v1.ReportSummary;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Escape sequences in what the controller sends (an agent's facts, reasons, output, error messages)
 * are printed visibly, never raw: they could recolour, retitle or clear the terminal.
 */
class TerminalSafetyTest {
  private static final String ESC = "\u001b";
  private static final String CLEAR = ESC + "[2J";
  private static final String TITLE = ESC + "]0;owned\u0007";

  private Server server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new HostileController())
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
  }

  /** The test server is plaintext: what is checked here is printing, not transport. */
  private int pulley(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--controller";
    all[1] = "127.0.0.1:" + server.getPort();
    all[2] = "--insecure";
    System.arraycopy(args, 0, all, 3, args.length);
    return PulleyMain.run(new PrintWriter(out), new PrintWriter(err), all);
  }

  @Test
  void hosts_printsFactsWithoutEscapes() {
    pulley("hosts");

    assertThat(out.toString()).doesNotContain(ESC).contains("debian^[[2J");
  }

  @Test
  void status_printsTheFleetWithoutEscapes() {
    pulley("status");

    assertThat(out.toString()).doesNotContain(ESC).contains("^[]0;owned^G");
  }

  @Test
  void statusOfOneHost_printsReasonsAndOutputWithoutEscapes_keepingLines() {
    pulley("status", "web-1");

    assertThat(out.toString())
        .doesNotContain(ESC)
        .doesNotContain("\u0007")
        .contains("^[[2J")
        .contains("line one\nline two")
        .contains("resumed an apply interrupted at shop/prod venv^[]0;owned^G (the agent died");
  }

  @Test
  void errorsFromTheController_arePrintedWithoutEscapes() {
    int code = pulley("history", "shop", "prod");

    assertThat(code).isNotZero();
    assertThat(err.toString()).doesNotContain(ESC).contains("^[[2J");
  }

  @Test
  void reason_keepsTheStartAndTheEndOfALongReason() {
    String reason =
        "No space left on device: cannot write /srv/shop/" + "x/".repeat(60) + "uwsgi.ini";

    String cell = TextTable.reason(reason);

    assertThat(cell).hasSize(TextTable.MAX_CELL_CHARS);
    assertThat(cell).startsWith("No space left on device").endsWith("uwsgi.ini").contains(" … ");
  }

  @Test
  void reason_ofAHandoverSwitchedBack_keepsWhatWasDoneAboutIt() {
    String reason =
        "the site failed after the switch to 8c5234dfc967, switched back to 2e59e9acbbb9: no"
            + " healthy answer on http://127.0.0.1/health in 15.1 s; last: status 503 (expected"
            + " 200): broken";

    assertThat(TextTable.reason(reason))
        .contains("switched back to 2e59e9acbbb9")
        .endsWith("broken")
        .hasSize(TextTable.MAX_CELL_CHARS);
  }

  @Test
  void oneLine_flattensLinesAndShowsControls() {
    assertThat(TextTable.oneLine("a \r\n b" + CLEAR + "\tc")).isEqualTo("a ⏎ b^[[2J c");
  }

  /** A controller relaying what a hostile agent said. */
  private static final class HostileController extends AdminServiceGrpc.AdminServiceImplBase {
    private static final ResourceResult FAILED =
        ResourceResult.newBuilder()
            .setApplication("shop")
            .setEnvironment("prod")
            .setResourceId("cmd" + TITLE)
            .setOutcome(ResourceOutcome.RESOURCE_OUTCOME_FAILED)
            .setReason("failed " + CLEAR)
            .setOutputTail("line one\nline two" + CLEAR)
            .build();

    @Override
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> observer) {
      HostState host =
          HostState.newBuilder()
              .setHostId("web-1")
              .setFacts(HostFacts.newBuilder().setOsId("debian" + CLEAR).setAgentVersion(TITLE))
              .setLastReportSummary(
                  ReportSummary.newBuilder()
                      .setOutcome(ApplyOutcome.APPLY_OUTCOME_FAILED)
                      .setFailed(1)
                      .setFirstFailure(FAILED))
              .build();
      observer.onNext(ListHostsResponse.newBuilder().addHosts(host).build());
      observer.onCompleted();
    }

    @Override
    public void getHostReport(
        GetHostReportRequest request, StreamObserver<GetHostReportResponse> observer) {
      ApplyReport report =
          ApplyReport.newBuilder()
              .setHostId("web-1")
              .setOutcome(ApplyOutcome.APPLY_OUTCOME_FAILED)
              .addResults(FAILED)
              .setInterrupted(
                  InterruptedApply.newBuilder()
                      .setPlanId("p0" + CLEAR)
                      .setApplication("shop")
                      .setEnvironment("prod")
                      .setResourceId("venv" + TITLE))
              .build();
      observer.onNext(GetHostReportResponse.newBuilder().setReport(report).build());
      observer.onCompleted();
    }

    @Override
    public void listRevisions(
        io.pulley.v1.ListRevisionsRequest request,
        StreamObserver<io.pulley.v1.ListRevisionsResponse> observer) {
      observer.onError(
          Status.INVALID_ARGUMENT.withDescription("no such thing " + CLEAR).asRuntimeException());
    }
  }
}
