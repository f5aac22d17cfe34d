package io.pulley.controller.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a bug that escapes a service method into INTERNAL with a message that carries no stack
 * trace and no request data, and logs it once on the controller's side with the method name.
 * Without it gRPC answers UNKNOWN and logs the stack trace through java.util.logging.
 */
public final class UnexpectedErrors implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    String method = call.getMethodDescriptor().getFullMethodName();
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        guard(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        guard(super::onHalfClose);
      }

      private void guard(Runnable step) {
        try {
          step.run();
        } catch (RuntimeException e) {
          log.error("unexpected failure in {}", method, e);
          call.close(
              Status.INTERNAL.withDescription(
                  "internal error in the controller; its log has the details"),
              new Metadata());
        }
      }
    };
  }
}
