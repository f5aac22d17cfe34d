package io.pulley.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.InsecureChannelCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SimulatedFleetTest {

  @Test
  void fleet_newPlanAfterAllHeld_reachesEveryAgent() throws Exception {
    try (StubController controller = new StubController(0);
        SimulatedFleet fleet =
            new SimulatedFleet(loopback(controller.port()), 50, FanoutRun.APPLICATION, 7)) {
      fleet.startRamped(10_000);

      assertThat(fleet.progress().awaitAllHeld(Duration.ofSeconds(60))).isTrue();
      controller.publishNewPlan();
      assertThat(fleet.progress().awaitAllSettled(Duration.ofSeconds(60))).isTrue();

      assertThat(fleet.progress().newPlanArrivals()).doesNotContain(FleetProgress.NOT_ARRIVED);
      assertThat(fleet.progress().pollErrors()).isZero();
      // Like real agents, they go on long-polling with the plan they got.
      assertThat(eventually(() -> controller.heldCount() == 50)).isTrue();
    }
  }

  @Test
  void fleet_controllerRestartsOnTheSamePort_everyAgentHoldsAPollAgain() throws Exception {
    StubController first = new StubController(0);
    int port = first.port();
    try (SimulatedFleet fleet =
        new SimulatedFleet(
            loopback(port),
            20,
            FanoutRun.APPLICATION,
            7,
            agent -> InsecureChannelCredentials.create(),
            SimulatedFleet.RESTART_PATIENCE)) {
      fleet.startRamped(10_000);
      assertThat(fleet.progress().awaitAllHeld(Duration.ofSeconds(60))).isTrue();
      assertThat(eventually(() -> first.heldCount() == 20)).isTrue();

      first.close();
      try (StubController second = new StubController(port)) {
        assertThat(eventually(() -> second.heldCount() == 20)).isTrue();

        assertThat(fleet.progress().gaveUp()).isZero();
        assertThat(fleet.progress().pollErrors()).isPositive();
        assertThat(fleet.progress().pollsInFlightSince()).doesNotContain(FleetProgress.NOT_ARRIVED);
      }
    }
  }

  @Test
  void fleet_controllerGone_agentsGiveUpInsteadOfHanging() throws Exception {
    int freePort;
    try (StubController closed = new StubController(0)) {
      freePort = closed.port();
    }
    try (SimulatedFleet fleet =
        new SimulatedFleet(loopback(freePort), 3, FanoutRun.APPLICATION, 7)) {
      fleet.startRamped(1_000);

      assertThat(fleet.progress().awaitAllSettled(Duration.ofSeconds(60))).isTrue();

      assertThat(fleet.progress().gaveUp()).isEqualTo(3);
      assertThat(Arrays.stream(fleet.progress().newPlanArrivals()))
          .containsOnly(FleetProgress.NOT_ARRIVED);
    }
  }

  static InetSocketAddress loopback(int port) throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
  }

  /** True once {@code condition} holds, checked every 50 ms for up to a minute. */
  static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
