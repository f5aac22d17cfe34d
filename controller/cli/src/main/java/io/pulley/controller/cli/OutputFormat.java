package io.pulley.controller.cli;

/** How commands print their results. */
enum OutputFormat {
  /** Aligned columns for people. */
  TABLE,
  /** The protobuf messages as JSON, for scripts. */
  JSON
}
