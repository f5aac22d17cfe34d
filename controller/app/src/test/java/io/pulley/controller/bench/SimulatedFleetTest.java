package io.pulley.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulatedFleetTest {

  @Test
  void fleet_newPlanAfterAllHeld_reachesEveryAgent() throws Exception {
    try (StubController controller = new StubController(0);
        SimulatedFleet fleet =
            new SimulatedFleet(
                new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), controller.port()),
                50,
                FanoutRun.APPLICATION,
                7)) {
      fleet.startRamped(10_000);

      assertThat(fleet.progress().awaitAllHeld(Duration.ofSeconds(60))).isTrue();
      controller.publishNewPlan();
      assertThat(fleet.progress().awaitAllSettled(Duration.ofSeconds(60))).isTrue();

      assertThat(fleet.progress().newPlanArrivals()).doesNotContain(FleetProgress.NOT_ARRIVED);
      assertThat(fleet.progress().pollErrors()).isZero();
      assertThat(fleet.progress().heldNow()).isZero();
    }
  }

  @Test
  void fleet_controllerGone_agentsGiveUpInsteadOfHanging() throws Exception {
    int freePort;
    try (StubController closed = new StubController(0)) {
      freePort = closed.port();
    }
    try (SimulatedFleet fleet =
        new SimulatedFleet(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), freePort),
            3,
            FanoutRun.APPLICATION,
            7)) {
      fleet.startRamped(1_000);

      assertThat(fleet.progress().awaitAllSettled(Duration.ofSeconds(60))).isTrue();

      assertThat(fleet.progress().gaveUp()).isEqualTo(3);
      assertThat(Arrays.stream(fleet.progress().newPlanArrivals()))
          .containsOnly(FleetProgress.NOT_ARRIVED);
    }
  }
}
