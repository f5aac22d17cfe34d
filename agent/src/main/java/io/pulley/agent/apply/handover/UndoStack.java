package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What a handover must take back if a later step fails: each step registers an undo for a change it
 * made, and {@link #runOrUnwind} runs the registered undos newest first when the steps fail, so the
 * host returns to serving the old release. Undos only ever exist for steps that ran. Not
 * thread-safe: one handover at a time.
 *
 * <p>An interrupted handover is not unwound: the agent is stopping, and the next apply resumes from
 * what runs. An undo that fails ends the unwinding with its own failure, which is then the one
 * reported; the next apply finds and finishes what is left, as every step looks before it acts.
 */
final class UndoStack {

  /** A change, or the taking back of one: the steps run under this stack, and each undo. */
  @FunctionalInterface
  interface Action {
    void run() throws StepFailed, IOException, InterruptedException;
  }

  private record Entry(String what, Action undo) {}

  private final Deque<Entry> entries = new ArrayDeque<>();

  /** Registers {@code undo}, described by {@code what} (such as "stop shop-uwsgi@3f2a.service"). */
  void push(String what, Action undo) {
    entries.push(new Entry(what, undo));
  }

  /**
   * Registers {@code undo} unless one described alike already is: two steps may each need the same
   * thing undone (the new instance stopped), and it must happen once, where it was first
   * registered.
   */
  void pushOnce(String what, Action undo) {
    if (entries.stream().noneMatch(e -> e.what().equals(what))) {
      push(what, undo);
    }
  }

  /** Forgets every undo registered so far: what they would take back stays as it is. */
  void forget() {
    entries.clear();
  }

  /** What the registered undos take back, in the order they would run. */
  List<String> pending() {
    return entries.stream().map(Entry::what).toList();
  }

  /**
   * Runs {@code steps}; if they fail (other than by an interrupt), runs the undos registered so
   * far, newest first, and rethrows the failure. Once the steps succeeded nothing is undone any
   * more.
   */
  void runOrUnwind(Action steps) throws StepFailed, IOException, InterruptedException {
    try {
      steps.run();
    } catch (StepFailed | IOException | RuntimeException e) {
      unwind();
      throw e;
    }
    forget();
  }

  private void unwind() throws StepFailed, IOException, InterruptedException {
    while (!entries.isEmpty()) {
      entries.pop().undo().run();
    }
  }
}
