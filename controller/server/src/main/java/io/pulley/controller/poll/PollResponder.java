package io.pulley.controller.poll;

import io.pulley.v1.PollResponse;

/** The answering end of one held poll; the gRPC adapter fills it with the call's observer. */
public interface PollResponder {
  /** Sends the answer and completes the call. Called at most once. */
  void respond(PollResponse response);

  /** Ends the call with an error: the host may no longer call. Called at most once. */
  void refuse(String reason);

  /** Registers what to do if the client goes away before the answer. */
  void onCancel(Runnable action);
}
