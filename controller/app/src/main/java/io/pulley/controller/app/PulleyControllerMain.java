package io.pulley.controller.app;

import io.pulley.controller.cli.PulleyMain;
import io.pulley.controller.server.ServeCommand;
import java.io.PrintWriter;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * Entry point of pulley-controller.jar, which is both {@code pulley} (the admin CLI) and {@code
 * pulley-controller} (the daemon, through {@code serve}): one jar, so an admin host and a
 * controller host install the same thing.
 */
public final class PulleyControllerMain {
  private PulleyControllerMain() {}

  public static void main(String[] args) {
    boolean daemon = args.length > 0 && args[0].equals("serve");
    if (!daemon) {
      // Set before the first logger exists: the CLI shows warnings only, and on stderr.
      System.setProperty("pulley.log.target", "System.err");
      System.setProperty("pulley.log.level", "WARN");
    }
    // gRPC and netty log through java.util.logging: routed into SLF4J, every log is one line.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(run(args));
  }

  /** Runs a command, {@code serve} included, and returns its exit code. */
  static int run(String... args) {
    CommandLine commandLine =
        PulleyMain.commandLine(
            System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    commandLine.addSubcommand(new ServeCommand());
    return commandLine.execute(args);
  }
}
