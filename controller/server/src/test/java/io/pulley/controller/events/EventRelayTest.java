package io.pulley.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.events.ControllerEvent.RolloutMoved;
import io.pulley.controller.manifest.AppEnv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRelayTest {
  private static final ControllerEvent MOVED = new RolloutMoved(new AppEnv("shop", "production"));

  @Test
  void connected_passesEveryEventOnAtOnce() {
    EventRelay relay = new EventRelay();
    List<ControllerEvent> seen = new ArrayList<>();
    relay.connect(seen::add);

    relay.publish(MOVED);

    assertThat(seen).containsExactly(MOVED);
  }

  @Test
  void publishedBeforeTheReactionsAreConnected_failsNamingTheEvent() {
    assertThatThrownBy(() -> new EventRelay().publish(MOVED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shop/production");
  }

  @Test
  void connectedTwice_isRefused() {
    EventRelay relay = new EventRelay();
    relay.connect(Events.NONE);

    assertThatThrownBy(() -> relay.connect(Events.NONE)).isInstanceOf(IllegalStateException.class);
  }
}
