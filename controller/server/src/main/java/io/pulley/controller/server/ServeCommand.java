package io.pulley.controller.server;

import com.google.common.net.HostAndPort;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.store.SqliteStore;
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
      names = "--secrets-key",
      paramLabel = "FILE",
      description =
          "The 32-byte key that seals the stored secrets (default: $CREDENTIALS_DIRECTORY/secrets.key"
              + " under systemd's LoadCredential, else DIR/keys/secrets.key, made at first start).")
  Path secretsKey;

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
      throw new ParameterException(
          spec.commandLine(),
          "--poll-hold-seconds must be between 1 and 600, got " + pollHoldSeconds);
    }
    Duration hold = Duration.ofSeconds(pollHoldSeconds);
    ControllerConfig config =
        ControllerConfig.of(dataDir, address("--listen", listen))
            .withPollHold(hold, hold.dividedBy(6))
            .withSecretsKey(secretsKeyFile(System.getenv("CREDENTIALS_DIRECTORY")));
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
    return 0;
  }

  /** The key file: the option, else the one systemd's LoadCredential passed, else the default. */
  Path secretsKeyFile(String credentialsDirectory) {
    if (secretsKey != null) {
      return secretsKey;
    }
    if (credentialsDirectory != null && !credentialsDirectory.isEmpty()) {
      return Path.of(credentialsDirectory, "secrets.key");
    }
    return SqliteStore.defaultSecretsKey(dataDir);
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
