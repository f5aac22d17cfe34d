package io.pulley.controller.cli;

import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.server.ControllerConfig;
import io.pulley.controller.server.ControllerServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Run the controller (what `pulley-controller serve` runs).")
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = "/var/lib/pulley/controller",
      paramLabel = "DIR",
      description = "Where the store lives (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:7400",
      paramLabel = "HOST:PORT",
      description =
          "gRPC address for agents and admins (default ${DEFAULT-VALUE}); port 0 picks one.")
  String listen;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics.")
  String metricsListen;

  @Option(
      names = "--webhook-listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve push webhooks (GitHub, GitLab, Gitea) at http://HOST:PORT/hooks/APP/ENV.")
  String webhookListen;

  @Option(
      names = "--port-file",
      paramLabel = "FILE",
      description =
          "Once serving, write the bound gRPC port here (for scripts that listen on port 0).")
  Path portFile;

  @Option(
      names = "--poll-hold-seconds",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description =
          "How long an agent's poll is held when nothing changes (default ${DEFAULT-VALUE}, ±1/6 jitter).")
  int pollHoldSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (pollHoldSeconds < 1 || pollHoldSeconds > 600) {
      throw new CliException(
          "--poll-hold-seconds must be between 1 and 600, got " + pollHoldSeconds, ExitCodes.USAGE);
    }
    Duration hold = Duration.ofSeconds(pollHoldSeconds);
    ControllerConfig config =
        ControllerConfig.of(dataDir, address("--listen", listen))
            .withPollHold(hold, hold.dividedBy(6));
    if (metricsListen != null) {
      config = config.withMetrics(address("--metrics-listen", metricsListen));
    }
    if (webhookListen != null) {
      config = config.withWebhooks(address("--webhook-listen", webhookListen));
    }
    ControllerServer server =
        ControllerServer.start(config, new JGitRefResolver(), Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    if (portFile != null) {
      writeAtomically(portFile, server.port() + "\n");
    }
    server.awaitTermination();
    return ExitCodes.OK;
  }

  static InetSocketAddress address(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new CliException(option + " must be HOST:PORT, got \"" + value + "\"", ExitCodes.USAGE);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new CliException(option + " has an invalid port in \"" + value + "\"", ExitCodes.USAGE);
    }
    return new InetSocketAddress(host, port);
  }

  /** Readers never see a half-written port: the file appears whole, by rename. */
  private static void writeAtomically(Path file, String content) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
