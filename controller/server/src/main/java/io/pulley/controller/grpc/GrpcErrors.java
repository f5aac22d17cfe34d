package io.pulley.controller.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.pulley.controller.access.AccessException;
import io.pulley.v1.ManifestError;
import io.pulley.v1.ManifestErrors;
import io.pulley.wire.SafeText;
import java.util.List;

/** The one place where outcomes become gRPC status codes. */
final class GrpcErrors {
  private GrpcErrors() {}

  static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /**
   * INVALID_ARGUMENT for one bad request field: "field: reason" as the message, and the same as a
   * standard {@code google.rpc.BadRequest} detail for clients that read details.
   */
  static StatusRuntimeException invalidField(String field, String reason) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.INVALID_ARGUMENT.value())
            .setMessage(field + ": " + reason)
            .addDetails(
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField(field)
                                .setDescription(reason))
                        .build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  /** An access request refused: its reason's code, its message. */
  static StatusRuntimeException refused(AccessException e) {
    Status status =
        switch (e.reason()) {
          case INVALID -> Status.INVALID_ARGUMENT;
          case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
          case DENIED -> Status.PERMISSION_DENIED;
          case NOT_FOUND -> Status.NOT_FOUND;
          case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
          case EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
        };
    return status.withDescription(e.getMessage()).asRuntimeException();
  }

  static StatusRuntimeException unauthenticated(String message) {
    return Status.UNAUTHENTICATED.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException permissionDenied(String message) {
    return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  /**
   * Serialized size the mistakes may take in the details. A status travels in HTTP/2 headers, which
   * clients cap (8 KiB by default in gRPC), base64-encoded: past the cap the client sees a broken
   * connection instead of the mistakes.
   */
  static final int MAX_DETAILS_BYTES = 3 * 1024;

  /** Longest reason or field shown; a reason quoting a huge value is cut. */
  static final int MAX_ERROR_CHARS = 300;

  /**
   * INVALID_ARGUMENT whose details carry the mistakes, for clients that can read them: as many as
   * fit in {@link #MAX_DETAILS_BYTES}, the first ones in the text; the message says how many there
   * were.
   */
  static StatusRuntimeException manifestRejected(List<ManifestError> errors) {
    ManifestErrors.Builder shown = ManifestErrors.newBuilder();
    for (ManifestError error : errors) {
      ManifestError cut =
          error.toBuilder()
              .setField(SafeText.cut(error.getField(), MAX_ERROR_CHARS))
              .setReason(SafeText.cut(error.getReason(), MAX_ERROR_CHARS))
              .build();
      if (shown.getErrorsCount() > 0
          && shown.build().getSerializedSize() + cut.getSerializedSize() + 4 > MAX_DETAILS_BYTES) {
        break;
      }
      shown.addErrors(cut);
    }
    ManifestError first = shown.getErrors(0);
    String summary =
        "manifest rejected ("
            + errors.size()
            + (errors.size() == 1 ? " error" : " errors")
            + (shown.getErrorsCount() < errors.size()
                ? ", the first " + shown.getErrorsCount() + " shown"
                : "")
            + "): "
            + first.getField()
            + (first.getLine() > 0 ? " (line " + first.getLine() + ")" : "")
            + ": "
            + first.getReason();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.INVALID_ARGUMENT.value())
            .setMessage(summary)
            .addDetails(Any.pack(shown.build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
