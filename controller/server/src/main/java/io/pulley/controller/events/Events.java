package io.pulley.controller.events;

/**
 * Where a part publishes what happened. Publishing is synchronous: every reaction has run when
 * {@link #publish} returns, under any lock the publisher holds, so a publisher decides what its
 * reactions are ordered against (the revision log publishes under its write lock: a new revision's
 * rollout starts before any held poll is answered). Implementations are thread-safe.
 */
@FunctionalInterface
public interface Events {
  /** For parts used on their own, in tests: nothing reacts. */
  Events NONE = event -> {};

  void publish(ControllerEvent event);
}
