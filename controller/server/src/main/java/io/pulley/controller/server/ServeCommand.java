package io.pulley.controller.server;

import com.google.common.net.HostAndPort;
import io.pulley.controller.manifest.JGitRefResolver;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = "Run the controller (what `pulley-controller serve` runs).")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics; a bare PORT or :PORT means"
              + " 127.0.0.1:PORT.")
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
      throw new ParameterException(
          spec.commandLine(),
          "--poll-hold-seconds must be between 1 and 600, got " + pollHoldSeconds);
    }
    Duration hold = Duration.ofSeconds(pollHoldSeconds);
    ControllerConfig config =
        ControllerConfig.of(dataDir, address("--listen", listen))
            .withPollHold(hold, hold.dividedBy(6));
    if (metricsListen != null) {
      config = config.withMetrics(address("--metrics-listen", loopbackIfBare(metricsListen)));
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
    return 0;
  }

  /** "9465" and ":9465" mean 127.0.0.1:9465: metrics reach beyond the host only when told to. */
  static String loopbackIfBare(String value) {
    String port = value.startsWith(":") ? value.substring(1) : value;
    boolean bare = !port.isEmpty() && port.chars().allMatch(c -> c >= '0' && c <= '9');
    return bare ? "127.0.0.1:" + port : value;
  }

  private InetSocketAddress address(String option, String value) {
    try {
      HostAndPort parsed = HostAndPort.fromString(value);
      if (parsed.hasPort() && !parsed.getHost().isEmpty()) {
        return new InetSocketAddress(parsed.getHost(), parsed.getPort());
      }
    } catch (IllegalArgumentException e) {
      // An out-of-range port or unbalanced brackets: the same mistake as a missing port.
    }
    throw new ParameterException(
        spec.commandLine(), option + " must be HOST:PORT, got \"" + value + "\"");
  }

  /** Readers never see a half-written port: the file appears whole, by rename. */
  private static void writeAtomically(Path file, String content) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
