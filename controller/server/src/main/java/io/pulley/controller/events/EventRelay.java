package io.pulley.controller.events;

import java.util.Objects;

/**
 * The publishers' end of the reactions, handed to each part when it is built: the parts that react
 * need the parts that publish, so the reactions can exist only once every part does, and are
 * connected once, by whoever assembles the controller. Thread-safe.
 */
public final class EventRelay implements Events {
  private volatile Events reactions;

  /** Connects the reactions; once, before anything is published. */
  public void connect(Events reactions) {
    Objects.requireNonNull(reactions, "reactions");
    synchronized (this) {
      if (this.reactions != null) {
        throw new IllegalStateException("the reactions are connected already");
      }
      this.reactions = reactions;
    }
  }

  @Override
  public void publish(ControllerEvent event) {
    Events connected = reactions;
    if (connected == null) {
      // A part published while the controller was being assembled: a wiring mistake to fix.
      throw new IllegalStateException("published before the reactions were connected: " + event);
    }
    connected.publish(event);
  }
}
