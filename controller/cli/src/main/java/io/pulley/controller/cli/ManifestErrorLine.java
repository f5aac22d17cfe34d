package io.pulley.controller.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.pulley.v1.ManifestError;
import io.pulley.v1.ManifestErrors;

/** Formats manifest errors the way compilers do ("FILE:LINE:COLUMN: …"), so editors can jump. */
final class ManifestErrorLine {
  private ManifestErrorLine() {}

  static String format(String file, ManifestError error) {
    StringBuilder line = new StringBuilder(file).append(':');
    if (error.getLine() > 0) {
      line.append(error.getLine()).append(':');
      if (error.getColumn() > 0) {
        line.append(error.getColumn()).append(':');
      }
    }
    line.append(' ');
    if (!error.getField().isEmpty()) {
      line.append(error.getField()).append(": ");
    }
    return line.append(error.getReason()).toString();
  }

  /** The ManifestErrors detail of a rejected apply, or null if the status carries none. */
  static ManifestErrors detailsOf(StatusRuntimeException exception) {
    com.google.rpc.Status status = StatusProto.fromThrowable(exception);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ManifestErrors.class)) {
        try {
          return detail.unpack(ManifestErrors.class);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
