package io.pulley.agent;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.config.ConfigException;
import io.pulley.agent.config.ConfigFileParser;
import io.pulley.agent.config.Interval;
import io.pulley.agent.enrol.CertificateRenewer;
import io.pulley.agent.enrol.EnrolClient;
import io.pulley.agent.enrol.Enrolment;
import io.pulley.agent.enrol.RenewableChannel;
import io.pulley.agent.facts.HostFactsCollector;
import io.pulley.agent.logging.JulBridge;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.PollLoop;
import io.pulley.agent.poll.WakeableSleeper;
import io.pulley.agent.state.DataDirLock;
import io.pulley.trust.ClientTls;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Identity;
import io.pulley.trust.TrustException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code pulley-agent}. Flags override the configuration file. */
@Command(
    name = "pulley-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description = "Pulls this host's plan from the Pulley controller and converges the host to it.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:ok",
      "1:an apply failed (--once)",
      "2:usage or configuration error",
      "3:controller unreachable, or the host is not enrolled yet (--once)"
    })
public final class AgentMain implements Callable<Integer> {
  static final int OK = 0;
  static final int APPLY_FAILED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;
  static final Path DEFAULT_CONFIG = Path.of("/etc/pulley/agent.yaml");

  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  @Option(names = "--config", paramLabel = "FILE", description = "Default: /etc/pulley/agent.yaml")
  Path configFile;

  @Option(names = "--controller", paramLabel = "HOST:PORT", description = "Default: 127.0.0.1:7400")
  String controller;

  @Option(names = "--host-id", paramLabel = "ID", description = "Default: the host name")
  String hostId;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: /var/lib/pulley/agent")
  Path dataDir;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Adds or overrides a label")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--allowed-root",
      paramLabel = "DIR",
      description = "Replaces the allowed roots (default /srv, /etc, /var/www, /opt)")
  List<Path> allowedRoots;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description = "Serve /metrics on HOST:PORT; a bare PORT or :PORT means 127.0.0.1:PORT")
  String metricsListen;

  @Option(
      names = "--reconverge-interval",
      paramLabel = "INTERVAL",
      description =
          "Apply the current plan again this often (seconds, or 30m, 2h; 0 = off)."
              + " Default: 30m")
  String reconvergeInterval;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "A bootstrap token for the first enrolment (mode 0600). Default: /etc/pulley/agent.token,"
              + " used if it exists")
  Path tokenFile;

  @Option(
      names = "--insecure",
      description = "Plaintext, no enrolment: only for a controller started with --insecure")
  boolean insecure;

  /** Refused with a reason: a token on the command line is readable by every local user. */
  @Option(names = "--token", hidden = true)
  String tokenOnCommandLine;

  @Option(names = "--once", description = "Poll once without waiting, apply, report and exit")
  boolean once;

  private AgentMain() {}

  public static void main(String[] args) {
    NettyProperties.set();
    JulBridge.install();
    System.exit(args.length == 0 ? withoutArguments().call() : commandLine().execute(args));
  }

  /**
   * The agent as its systemd unit starts it: with no arguments there is nothing to parse, and
   * picocli's classes (about 170) would stay loaded in a daemon that then idles for weeks
   * (docs/benchmarks.md). Every setting then comes from the configuration file.
   */
  static AgentMain withoutArguments() {
    return new AgentMain();
  }

  static CommandLine commandLine() {
    return new CommandLine(new AgentMain()); // picocli exits 2 on bad usage, as USAGE
  }

  @Override
  public Integer call() {
    try (ControllerChannels channels = new ControllerChannels()) {
      return call(channels);
    }
  }

  private Integer call(ControllerChannels channels) {
    AgentConfig config;
    try {
      config = config(new HostFactsCollector().hostname());
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("pulley-agent: " + e.getMessage());
      return USAGE;
    }
    if (config.insecure()) {
      log.warn(
          "INSECURE: talking plaintext to {}; anyone on the path can read this host's plan and"
              + " secrets, and anyone can pretend to be the controller",
          config.controller());
      ManagedChannel channel =
          channels.open(config.controller(), InsecureChannelCredentials.create());
      return run(config, channel, Optional.empty());
    }
    try {
      Optional<Credentials> credentials = credentials(config);
      if (credentials.isEmpty()) {
        return UNREACHABLE;
      }
      AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
      ChannelCredentials tls = ClientTls.mutual(keyManager, credentials.get().ca());
      RenewableChannel channel =
          new RenewableChannel(() -> channels.open(config.controller(), tls));
      CertificateRenewer renewer =
          new CertificateRenewer(
              new CredentialFiles(config.tlsDir()),
              credentials.get(),
              keyManager,
              channel,
              new EnrolClient(channel, Duration.ofSeconds(30)),
              Clock.systemUTC(),
              new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10), new Random()),
              new WakeableSleeper());
      return run(config, channel, Optional.of(renewer));
    } catch (ConfigException | TrustException | IllegalStateException | IOException e) {
      System.err.println("pulley-agent: " + e.getMessage());
      return USAGE;
    }
  }

  private int run(
      AgentConfig config, ManagedChannel channel, Optional<CertificateRenewer> renewer) {
    try {
      Agent agent = new Agent(config, channel, Clock.systemUTC());
      if (once) {
        renewer.ifPresent(CertificateRenewer::renewIfDue);
        return once(agent);
      }
      renewer.ifPresent(CertificateRenewer::start);
      return runUntilStopped(agent, channel, renewer);
    } catch (IllegalStateException | UncheckedIOException | IOException e) {
      System.err.println("pulley-agent: " + e.getMessage());
      return USAGE;
    } finally {
      renewer.ifPresent(CertificateRenewer::close);
      channel.shutdownNow();
    }
  }

  /**
   * The saved credentials, after enrolling first if there are none (under the data dir lock, so a
   * second agent cannot enrol the same dir at once). Empty if {@code --once} did not get them.
   */
  private Optional<Credentials> credentials(AgentConfig config)
      throws ConfigException, IOException {
    CredentialFiles files = new CredentialFiles(config.tlsDir());
    Optional<Credentials> credentials;
    if (files.exist()) {
      credentials = Optional.of(files.load());
    } else {
      Enrolment enrolment = Enrolment.prepare(config, Enrolment.Settings.standard(new Random()));
      DataDirLock lock = DataDirLock.acquire(config.dataDir());
      try {
        credentials = enrolment.run(once);
      } finally {
        lock.close();
      }
      if (credentials.isPresent()) {
        ClassArchive.remakeAfterEnrolment(System.getenv());
      }
    }
    if (credentials.isPresent()
        && !credentials.get().identity().equals(Identity.host(config.hostId()))) {
      throw new ConfigException(
          "the certificate in "
              + files.dir()
              + " is for "
              + credentials.get().identity()
              + " but host_id is "
              + config.hostId()
              + ": set host_id back, or remove "
              + files.dir()
              + " and enrol again with a new token");
    }
    return credentials;
  }

  /** The file's settings (defaults for what it omits), then the flags over them. */
  AgentConfig config(String hostname) throws ConfigException {
    if (tokenOnCommandLine != null) {
      throw new ConfigException(
          "--token is refused: a token on the command line is readable by every local user;"
              + " write it to a file (mode 0600) and give --token-file FILE");
    }
    AgentConfig.Builder builder = AgentConfig.builder(hostname);
    new ConfigFileParser()
        .parse(configFile == null ? DEFAULT_CONFIG : configFile, configFile != null, builder);
    if (controller != null) {
      builder.controller(controller);
    }
    if (hostId != null) {
      builder.hostId(hostId);
    }
    if (dataDir != null) {
      builder.dataDir(dataDir.toAbsolutePath().normalize());
    }
    labels.forEach(builder::label);
    if (allowedRoots != null) {
      builder.allowedRoots(allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    }
    if (metricsListen != null) {
      builder.metricsListen(metricsListen);
    }
    if (reconvergeInterval != null) {
      builder.reconvergeInterval(Interval.parse(reconvergeInterval));
    }
    if (tokenFile != null) {
      builder.tokenFile(tokenFile.toAbsolutePath().normalize());
    }
    if (insecure) {
      builder.insecure(true);
    }
    return builder.build();
  }

  private static int once(Agent agent) throws IOException {
    PollLoop.OnceResult result = agent.runOnce();
    return switch (result) {
      case SUCCEEDED -> OK;
      case APPLY_FAILED -> APPLY_FAILED;
      case UNREACHABLE -> UNREACHABLE;
    };
  }

  /** Runs until SIGTERM/SIGINT; the shutdown hook lets the current resource finish. */
  private static int runUntilStopped(
      Agent agent, ManagedChannel channel, Optional<CertificateRenewer> renewer) {
    CountDownLatch stopped = new CountDownLatch(1);
    agent.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: finishing the current resource");
                  agent.close();
                  renewer.ifPresent(CertificateRenewer::close);
                  channel.shutdownNow();
                  stopped.countDown();
                },
                "pulley-agent-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  /** The jar's Implementation-Version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pulley-agent " + HostFactsCollector.agentVersion()};
    }
  }
}
