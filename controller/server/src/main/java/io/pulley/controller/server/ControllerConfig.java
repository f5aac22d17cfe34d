package io.pulley.controller.server;

import io.pulley.controller.store.SqliteStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run a controller.
 *
 * @param dataDir where the store lives
 * @param listen the gRPC address; port 0 picks a free port
 * @param metricsListen where to serve Prometheus metrics, if anywhere
 * @param pollHold how long a poll is held before "unchanged"
 * @param pollHoldJitter how much the hold varies either way, so agents drift apart
 * @param webhookListen where to serve push webhooks ({@code POST /hooks/APP/ENV}), if anywhere
 * @param tls how to serve TLS and issue certificates; empty for insecure mode (plaintext, nobody
 *     authenticated: every caller is an admin and agents say which host they are)
 * @param secretsKey the file of the key that seals the stored secrets, apart from the database
 */
public record ControllerConfig(
    Path dataDir,
    InetSocketAddress listen,
    Optional<InetSocketAddress> metricsListen,
    Duration pollHold,
    Duration pollHoldJitter,
    Optional<InetSocketAddress> webhookListen,
    Optional<TlsConfig> tls,
    Path secretsKey) {

  /** The hold an agent should expect: about a minute, give or take ten seconds. */
  public static final Duration DEFAULT_HOLD = Duration.ofSeconds(60);

  public static final Duration DEFAULT_HOLD_JITTER = Duration.ofSeconds(10);

  public ControllerConfig {
    if (!pollHoldJitter.isNegative() && pollHoldJitter.compareTo(pollHold) >= 0) {
      throw new IllegalArgumentException(
          "poll hold jitter " + pollHoldJitter + " must be shorter than the hold " + pollHold);
    }
  }

  /**
   * A controller on {@code listen} serving TLS with its own CA, with defaults for everything else.
   */
  public static ControllerConfig of(Path dataDir, InetSocketAddress listen) {
    return new ControllerConfig(
        dataDir,
        listen,
        Optional.empty(),
        DEFAULT_HOLD,
        DEFAULT_HOLD_JITTER,
        Optional.empty(),
        Optional.of(TlsConfig.defaults(listen)),
        SqliteStore.defaultSecretsKey(dataDir));
  }

  /** A controller on {@code listen} in insecure mode: plaintext, nobody authenticated. */
  public static ControllerConfig insecure(Path dataDir, InetSocketAddress listen) {
    return of(dataDir, listen).withInsecure();
  }

  public boolean isInsecure() {
    return tls.isEmpty();
  }

  public ControllerConfig withInsecure() {
    return new ControllerConfig(
        dataDir,
        listen,
        metricsListen,
        pollHold,
        pollHoldJitter,
        webhookListen,
        Optional.empty(),
        secretsKey);
  }

  public ControllerConfig withTls(TlsConfig config) {
    return new ControllerConfig(
        dataDir,
        listen,
        metricsListen,
        pollHold,
        pollHoldJitter,
        webhookListen,
        Optional.of(config),
        secretsKey);
  }

  public ControllerConfig withPollHold(Duration hold, Duration jitter) {
    return new ControllerConfig(
        dataDir, listen, metricsListen, hold, jitter, webhookListen, tls, secretsKey);
  }

  public ControllerConfig withMetrics(InetSocketAddress address) {
    return new ControllerConfig(
        dataDir,
        listen,
        Optional.of(address),
        pollHold,
        pollHoldJitter,
        webhookListen,
        tls,
        secretsKey);
  }

  public ControllerConfig withWebhooks(InetSocketAddress address) {
    return new ControllerConfig(
        dataDir,
        listen,
        metricsListen,
        pollHold,
        pollHoldJitter,
        Optional.of(address),
        tls,
        secretsKey);
  }

  public ControllerConfig withSecretsKey(Path file) {
    return new ControllerConfig(
        dataDir, listen, metricsListen, pollHold, pollHoldJitter, webhookListen, tls, file);
  }
}
