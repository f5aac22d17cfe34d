package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UndoStackTest {
  private final UndoStack undo = new UndoStack();
  private final List<String> log = new ArrayList<>();

  /** A step that changes something and registers how to take it back. */
  private void change(String what) {
    log.add(what);
    undo.push("undo " + what, () -> log.add("undo " + what));
  }

  @Test
  void failure_undoesTheStepsThatRan_newestFirst_andNoneThatNeverRan() {
    assertThatThrownBy(
            () ->
                undo.runOrUnwind(
                    () -> {
                      change("worker started");
                      change("instance started");
                      change("links switched");
                      if (log.size() == 3) {
                        throw new StepFailed("the site failed", "");
                      }
                      change("old instance stopped");
                    }))
        .isInstanceOf(StepFailed.class)
        .hasMessage("the site failed");

    assertThat(log)
        .containsExactly(
            "worker started",
            "instance started",
            "links switched",
            "undo links switched",
            "undo instance started",
            "undo worker started");
    assertThat(undo.pending()).isEmpty();
  }

  @Test
  void ioFailure_isUnwoundLikeAFailedStep() {
    assertThatThrownBy(
            () ->
                undo.runOrUnwind(
                    () -> {
                      change("current moved");
                      throw new IOException("fifo gone");
                    }))
        .isInstanceOf(IOException.class);

    assertThat(log).containsExactly("current moved", "undo current moved");
  }

  @Test
  void success_undoesNothing_andForgetsWhatWasRegistered() throws Exception {
    undo.runOrUnwind(() -> change("worker started"));

    assertThat(log).containsExactly("worker started");
    assertThat(undo.pending()).isEmpty();
  }

  @Test
  void interruptedSteps_areNotUnwound() {
    assertThatThrownBy(
            () ->
                undo.runOrUnwind(
                    () -> {
                      change("worker started");
                      throw new InterruptedException();
                    }))
        .isInstanceOf(InterruptedException.class);

    assertThat(log).containsExactly("worker started");
  }

  @Test
  void failingUndo_endsTheUnwinding_withItsOwnFailure() {
    undo.push("undo worker started", () -> log.add("undo worker started"));
    undo.push(
        "stop instance",
        () -> {
          throw new StepFailed("systemctl stop app-uwsgi@b.service: exit status 1", "");
        });

    assertThatThrownBy(
            () ->
                undo.runOrUnwind(
                    () -> {
                      throw new StepFailed("release b got no traffic", "");
                    }))
        .hasMessage("systemctl stop app-uwsgi@b.service: exit status 1");

    assertThat(log).isEmpty();
  }

  @Test
  void pushOnce_keepsAnUndoWhereItWasFirstRegistered() {
    undo.push("stop worker", () -> {});
    undo.push("stop instance", () -> {});
    undo.push("current back", () -> {});
    undo.pushOnce("stop instance", () -> {});
    undo.pushOnce("links back", () -> {});

    assertThat(undo.pending())
        .containsExactly("links back", "current back", "stop instance", "stop worker");
  }

  @Test
  void forget_dropsTheUndosRegisteredSoFar() {
    assertThatThrownBy(
            () ->
                undo.runOrUnwind(
                    () -> {
                      change("worker started");
                      undo.forget();
                      change("current moved");
                      throw new StepFailed("graceful reload failed", "");
                    }))
        .isInstanceOf(StepFailed.class);

    assertThat(log).containsExactly("worker started", "current moved", "undo current moved");
  }
}
