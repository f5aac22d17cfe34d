package io.pulley.controller.server;

import com.google.common.net.HostAndPort;
import io.pulley.controller.access.EnrolDesk;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.store.SqliteStore;
import io.pulley.wire.Durations;
import io.pulley.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics; a bare PORT or :PORT means"
              + " 127.0.0.1:PORT.")
  String metricsListen;

  @Option(
      names = "--webhook-listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve push webhooks (GitHub, GitLab, Gitea) at https://HOST:PORT/hooks/APP/ENV, with the"
              + " server certificate unless --webhook-tls-cert is given (http:// with --insecure).")
  String webhookListen;

  @Option(
      names = "--webhook-tls-cert",
      paramLabel = "FILE",
      description =
          "Serve webhooks with this certificate chain (PEM), say one a public CA issued for the"
              + " name the forge dials, instead of the server certificate; with --webhook-tls-key.")
  Path webhookTlsCert;

  @Option(
      names = "--webhook-tls-key",
      paramLabel = "FILE",
      description = "The key of --webhook-tls-cert (PEM).")
  Path webhookTlsKey;

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

  @Option(
      names = "--insecure",
      description =
          "Plaintext (gRPC and webhooks) and no authentication: anyone who reaches the port is an"
              + " admin and may claim to be any host. Only for throw-away local use.")
  boolean insecure;

  @Option(
      names = "--advertise",
      paramLabel = "NAME",
      description =
          "A name or address agents and admins dial, written into the server certificate"
              + " (repeatable; default: this machine's host name, localhost, 127.0.0.1, ::1 and the"
              + " --listen host).")
  List<String> advertise = new ArrayList<>();

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description = "Use this CA certificate (PEM) instead of the controller's own; with --ca-key.")
  Path caCert;

  @Option(names = "--ca-key", paramLabel = "FILE", description = "The key of --ca-cert (PEM).")
  Path caKey;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Serve this certificate chain (PEM) instead of one issued by the CA; with --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The key of --tls-cert (PEM).")
  Path tlsKey;

  @Option(
      names = "--host-cert-lifetime",
      defaultValue = "7d",
      paramLabel = "DURATION",
      description =
          "How long hosts' certificates are valid (default ${DEFAULT-VALUE}; 30m, 12h, 7d).")
  String hostCertLifetime;

  @Option(
      names = "--admin-cert-lifetime",
      defaultValue = "30d",
      paramLabel = "DURATION",
      description = "How long admins' certificates are valid (default ${DEFAULT-VALUE}).")
  String adminCertLifetime;

  @Option(
      names = "--enrol-rate-per-minute",
      defaultValue = "20",
      paramLabel = "N",
      description =
          "Enrol calls allowed per client address and minute (default ${DEFAULT-VALUE}); raise it"
              + " when many agents enrol from one address, such as behind NAT.")
  int enrolRatePerMinute;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (pollHoldSeconds < 1 || pollHoldSeconds > WireLimits.MAX_POLL_HOLD_SECONDS) {
      throw new ParameterException(
          spec.commandLine(),
          "--poll-hold-seconds must be between 1 and "
              + WireLimits.MAX_POLL_HOLD_SECONDS
              + " (agents wait "
              + WireLimits.AGENT_POLL_DEADLINE_SECONDS
              + " s for a held poll), got "
              + pollHoldSeconds);
    }
    if (enrolRatePerMinute < 1 || enrolRatePerMinute > EnrolDesk.MAX_ENROLS_PER_MINUTE) {
      throw new ParameterException(
          spec.commandLine(),
          "--enrol-rate-per-minute must be between 1 and "
              + EnrolDesk.MAX_ENROLS_PER_MINUTE
              + ", got "
              + enrolRatePerMinute);
    }
    Duration hold = Duration.ofSeconds(pollHoldSeconds);
    ControllerConfig config =
        ControllerConfig.of(dataDir, address("--listen", listen))
            .withPollHold(hold, hold.dividedBy(6))
            .withSecretsKey(secretsKeyFile(System.getenv("CREDENTIALS_DIRECTORY")));
    if (metricsListen != null) {
      config = config.withMetrics(address("--metrics-listen", loopbackIfBare(metricsListen)));
    }
    if (webhookListen != null) {
      config = config.withWebhooks(address("--webhook-listen", webhookListen));
    }
    checkWebhookCertificate();
    config = insecure ? config.withInsecure() : config.withTls(tls(config));
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

  /** A webhook certificate is for a webhook listener that serves TLS. */
  private void checkWebhookCertificate() {
    if (webhookTlsCert == null && webhookTlsKey == null) {
      return;
    }
    String options = "--webhook-tls-cert/--webhook-tls-key";
    if (webhookListen == null) {
      throw new ParameterException(spec.commandLine(), options + " need --webhook-listen");
    }
    if (insecure) {
      throw new ParameterException(
          spec.commandLine(),
          options + " cannot go with --insecure, which serves webhooks over plain HTTP");
    }
  }

  private TlsConfig tls(ControllerConfig config) {
    TlsConfig tls = TlsConfig.defaults(config.listen());
    try {
      if (!advertise.isEmpty()) {
        tls = tls.withAdvertise(advertise);
      } else if (config.webhookListen().isPresent()) {
        tls =
            tls.withAdvertise(
                TlsConfig.defaultNames(config.listen(), config.webhookListen().get()));
      }
      if (caCert != null || caKey != null) {
        tls = tls.withCa(required("--ca-cert", caCert), required("--ca-key", caKey));
      }
      if (tlsCert != null || tlsKey != null) {
        tls =
            tls.withServerCertificate(
                required("--tls-cert", tlsCert), required("--tls-key", tlsKey));
      }
      if (webhookTlsCert != null || webhookTlsKey != null) {
        tls =
            tls.withWebhookCertificate(
                required("--webhook-tls-cert", webhookTlsCert),
                required("--webhook-tls-key", webhookTlsKey));
      }
      return tls.withLifetimes(
              duration("--host-cert-lifetime", hostCertLifetime),
              duration("--admin-cert-lifetime", adminCertLifetime))
          .withEnrolRate(enrolRatePerMinute);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Path required(String option, Path value) {
    if (value == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--ca-cert/--ca-key, --tls-cert/--tls-key and --webhook-tls-cert/--webhook-tls-key go"
              + " in pairs: "
              + option
              + " is missing");
    }
    return value;
  }

  /** "90s", "30m", "12h" or "7d". */
  private Duration duration(String option, String value) {
    return Durations.parse(value, 6)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    option + " must be a number with s, m, h or d, got \"" + value + "\""));
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
