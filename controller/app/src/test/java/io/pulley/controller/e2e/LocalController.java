package io.pulley.controller.e2e;

import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.server.ControllerConfig;
import io.pulley.controller.server.ControllerServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/** A real controller in this JVM on a free localhost port, with a CLI pointed at it. */
final class LocalController implements AutoCloseable {
  private final ControllerServer server;
  private final Cli cli;
  private boolean closed;

  private LocalController(ControllerServer server) {
    this.server = server;
    this.cli = new Cli(address());
  }

  static LocalController start(Path dataDir) throws IOException {
    return new LocalController(
        ControllerServer.start(
            ControllerConfig.insecure(dataDir, new InetSocketAddress("127.0.0.1", 0)),
            new JGitRefResolver(),
            Clock.systemUTC()));
  }

  String address() {
    return "127.0.0.1:" + server.port();
  }

  Cli cli() {
    return cli;
  }

  /** Stops the controller; idempotent, so a test may stop it early to read its database. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      server.close();
    }
  }
}
