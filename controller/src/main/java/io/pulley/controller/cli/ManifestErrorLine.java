package io.pulley.controller.cli;

import io.pulley.v1.ManifestError;

/** Formats a manifest error the way compilers do, so editors can jump to it. */
final class ManifestErrorLine {
  private ManifestErrorLine() {}

  static String format(ManifestError error) {
    StringBuilder line = new StringBuilder();
    if (error.getLine() > 0) {
      line.append("line ").append(error.getLine());
      if (error.getColumn() > 0) {
        line.append(':').append(error.getColumn());
      }
      line.append(": ");
    }
    if (!error.getField().isEmpty()) {
      line.append(error.getField()).append(": ");
    }
    return line.append(error.getReason()).toString();
  }
}
