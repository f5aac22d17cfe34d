package io.pulley.agent.config;

import io.pulley.trust.CaPin;
import io.pulley.wire.WireLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's settings, immutable and validated at construction.
 *
 * @param controller the controller's gRPC address, {@code host:port}
 * @param hostId this host's id in the fleet
 * @param dataDir where the agent keeps its plan, reports and lock
 * @param labels labels manifests select hosts by
 * @param allowedRoots the only trees resources may write into
 * @param metricsListen {@code host:port} to serve {@code /metrics} on, or empty for none
 * @param reconvergeInterval how often the current plan is applied again although it did not change,
 *     so that drift is corrected; zero turns this off
 * @param pollHold how long the controller may hold a poll while nothing changes (10 s to 10 min):
 *     the agent wakes about this often at rest, and a new plan still answers the held poll at once
 * @param tokenFile a bootstrap token for the first enrolment, read only if it exists and the agent
 *     holds no certificate yet
 * @param caPin the controller CA's pin, for enrolling without a token (an admin approves)
 * @param insecure plaintext to a controller started with {@code --insecure}: no enrolment, no TLS
 */
public record AgentConfig(
    String controller,
    String hostId,
    Path dataDir,
    Map<String, String> labels,
    List<Path> allowedRoots,
    String metricsListen,
    Duration reconvergeInterval,
    Duration pollHold,
    Path tokenFile,
    Optional<CaPin> caPin,
    boolean insecure) {

  public static final String DEFAULT_CONTROLLER = "127.0.0.1:7400";
  public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/pulley/agent");
  public static final List<Path> DEFAULT_ALLOWED_ROOTS =
      List.of(Path.of("/srv"), Path.of("/etc"), Path.of("/var/www"), Path.of("/opt"));
  public static final Duration DEFAULT_RECONVERGE_INTERVAL = Duration.ofMinutes(30);
  public static final Duration DEFAULT_POLL_HOLD = Duration.ofMinutes(4);
  static final Duration MIN_POLL_HOLD = Duration.ofSeconds(10);
  public static final Path DEFAULT_TOKEN_FILE = Path.of("/etc/pulley/agent.token");

  public AgentConfig {
    if (HostPort.parse(Objects.requireNonNull(controller, "controller"), "controller").port()
        == 0) {
      throw new IllegalArgumentException("controller port must not be 0: " + controller);
    }
    if (Objects.requireNonNull(hostId, "hostId").isBlank()) {
      throw new IllegalArgumentException("hostId must not be blank");
    }
    if (!Objects.requireNonNull(dataDir, "dataDir").isAbsolute()) {
      throw new IllegalArgumentException("dataDir must be absolute: " + dataDir);
    }
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    allowedRoots = List.copyOf(Objects.requireNonNull(allowedRoots, "allowedRoots"));
    for (Path root : allowedRoots) {
      if (!root.isAbsolute() || !root.normalize().equals(root)) {
        throw new IllegalArgumentException("allowed root must be absolute and normalised: " + root);
      }
    }
    if (!Objects.requireNonNull(metricsListen, "metricsListen").isEmpty()) {
      metricsListen = HostPort.parseListen(metricsListen, "metricsListen").toString();
    }
    if (Objects.requireNonNull(reconvergeInterval, "reconvergeInterval").isNegative()) {
      throw new IllegalArgumentException(
          "reconvergeInterval must not be negative: " + reconvergeInterval);
    }
    checkPollHold(Objects.requireNonNull(pollHold, "pollHold"));
    if (!Objects.requireNonNull(tokenFile, "tokenFile").isAbsolute()) {
      throw new IllegalArgumentException("tokenFile must be absolute: " + tokenFile);
    }
    if (insecure && Objects.requireNonNull(caPin, "caPin").isPresent()) {
      throw new IllegalArgumentException(
          "insecure and ca_pin exclude each other: a pin is only checked over TLS");
    }
  }

  /** Refuses a poll hold the controller would not grant or that would poll needlessly often. */
  static void checkPollHold(Duration pollHold) {
    if (pollHold.compareTo(MIN_POLL_HOLD) < 0
        || pollHold.getSeconds() > WireLimits.MAX_ASKED_POLL_HOLD_SECONDS) {
      throw new IllegalArgumentException(
          "poll_hold must be between 10s and "
              + WireLimits.MAX_ASKED_POLL_HOLD_SECONDS
              + "s, got "
              + pollHold.getSeconds()
              + "s");
    }
  }

  /** Where the agent keeps its key, certificate and the controller's CA. */
  public Path tlsDir() {
    return dataDir.resolve("tls");
  }

  /** A builder holding the defaults, with {@code hostId} as the default host id. */
  public static Builder builder(String defaultHostId) {
    return new Builder(defaultHostId);
  }

  /** Mutable staging area: the file parser and the command line each set what they name. */
  public static final class Builder {
    private String controller = DEFAULT_CONTROLLER;
    private String hostId;
    private Path dataDir = DEFAULT_DATA_DIR;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private List<Path> allowedRoots = new ArrayList<>(DEFAULT_ALLOWED_ROOTS);
    private String metricsListen = "";
    private Duration reconvergeInterval = DEFAULT_RECONVERGE_INTERVAL;
    private Duration pollHold = DEFAULT_POLL_HOLD;
    private Path tokenFile = DEFAULT_TOKEN_FILE;
    private Optional<CaPin> caPin = Optional.empty();
    private boolean insecure;

    private Builder(String hostId) {
      this.hostId = hostId;
    }

    public Builder controller(String value) {
      controller = value;
      return this;
    }

    public Builder hostId(String value) {
      hostId = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    /** Adds or replaces one label. */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Replaces all labels. */
    public Builder labels(Map<String, String> value) {
      labels.clear();
      labels.putAll(value);
      return this;
    }

    /** Replaces the allowed roots. */
    public Builder allowedRoots(List<Path> value) {
      allowedRoots = new ArrayList<>(value);
      return this;
    }

    public Builder metricsListen(String value) {
      metricsListen = value;
      return this;
    }

    /** Zero turns reconverging off. */
    public Builder reconvergeInterval(Duration value) {
      reconvergeInterval = value;
      return this;
    }

    public Builder pollHold(Duration value) {
      pollHold = value;
      return this;
    }

    public Builder tokenFile(Path value) {
      tokenFile = value;
      return this;
    }

    public Builder caPin(CaPin value) {
      caPin = Optional.of(value);
      return this;
    }

    public Builder insecure(boolean value) {
      insecure = value;
      return this;
    }

    public AgentConfig build() {
      return new AgentConfig(
          controller,
          hostId,
          dataDir,
          labels,
          allowedRoots,
          metricsListen,
          reconvergeInterval,
          pollHold,
          tokenFile,
          caPin,
          insecure);
    }
  }
}
