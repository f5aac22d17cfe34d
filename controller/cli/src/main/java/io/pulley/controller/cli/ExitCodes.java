package io.pulley.controller.cli;

/** Exit codes that scripts can rely on; listed in {@code pulley --help}. */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int REJECTED = 3;
  static final int NOT_FOUND = 4;
  static final int UNREACHABLE = 5;
  static final int DENIED = 6;

  private ExitCodes() {}
}
