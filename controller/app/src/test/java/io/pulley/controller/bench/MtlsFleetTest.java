package io.pulley.controller.bench;

import static io.pulley.controller.bench.SimulatedFleetTest.eventually;
import static io.pulley.controller.bench.SimulatedFleetTest.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.server.ControllerConfig;
import io.pulley.controller.server.ControllerServer;
import io.pulley.controller.server.TlsConfig;
import io.pulley.trust.Credentials;
import io.pulley.trust.Identity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's mTLS fleet against the real controller, in this JVM: each simulated agent enrols
 * as its own host, gets the new revision over its own certificate, and comes back after a restart.
 */
class MtlsFleetTest {
  private static final int AGENTS = 5;

  @TempDir Path data;

  @Test
  void enrolledFleet_getsTheRevision_andReattachesAfterARestart() throws Exception {
    ControllerServer first = start(0);
    int port = first.port();
    InetSocketAddress address = loopback(port);
    List<Credentials> hosts;
    try (BenchAccess access = BenchAccess.open(address, data, Transport.MTLS)) {
      List<FleetEnrolment.Applicant> applicants =
          FleetEnrolment.applicants(AGENTS, SimulatedAgent::hostId);
      hosts = new FleetEnrolment(address, access.hostTokens(AGENTS)).enrol(applicants);
      assertThat(hosts)
          .extracting(Credentials::identity)
          .containsExactly(
              Identity.host("sim-00001"),
              Identity.host("sim-00002"),
              Identity.host("sim-00003"),
              Identity.host("sim-00004"),
              Identity.host("sim-00005"));

      try (SimulatedFleet fleet =
          new SimulatedFleet(
              address,
              AGENTS,
              FanoutRun.APPLICATION,
              7,
              FleetEnrolment.mutualTls(hosts),
              SimulatedFleet.RESTART_PATIENCE)) {
        fleet.startRamped(1_000);
        assertThat(fleet.progress().awaitAllHeld(Duration.ofSeconds(60))).isTrue();
        assertThat(eventually(() -> first.heldPolls() == AGENTS)).isTrue();

        FanoutRun.applyManifest(access.admin());
        assertThat(fleet.progress().awaitAllSettled(Duration.ofSeconds(60))).isTrue();
        assertThat(fleet.progress().newPlanArrivals()).doesNotContain(FleetProgress.NOT_ARRIVED);
        assertThat(eventually(() -> first.heldPolls() == AGENTS)).isTrue();

        first.close();
        try (ControllerServer second = start(port)) {
          assertThat(eventually(() -> second.heldPolls() == AGENTS)).isTrue();
          assertThat(fleet.progress().gaveUp()).isZero();
        }
      }
    } finally {
      first.close();
    }
  }

  private ControllerServer start(int port) throws IOException {
    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", port);
    return ControllerServer.start(
        ControllerConfig.of(data, listen)
            .withTls(TlsConfig.defaults(listen).withEnrolRate(1_000))
            .withPollHold(Duration.ofSeconds(30), Duration.ZERO),
        new JGitRefResolver(),
        Clock.systemUTC());
  }
}
