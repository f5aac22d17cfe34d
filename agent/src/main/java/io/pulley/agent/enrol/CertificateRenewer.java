package io.pulley.agent.enrol;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.Sleeper;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the host's client certificate with the same key once two thirds of its life have passed,
 * saves it, and swaps it into the channel's key manager: connections made from then on present it.
 * {@link #renewIfDue} is synchronized; {@link #start} and {@link #close} are called once each.
 */
public final class CertificateRenewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);

  /** The longest sleep between checks: a changed clock or a failed renewal is noticed soon. */
  private static final Duration MAX_CHECK_INTERVAL = Duration.ofHours(1);

  private static final Duration EXPIRED_RETRY = Duration.ofMinutes(10);

  /** How a check ended. */
  public enum Result {
    NOT_DUE,
    RENEWED,
    FAILED,
    /** The certificate expired: the controller refuses it, renewal cannot work. */
    EXPIRED
  }

  private final CredentialFiles files;
  private final AdvancedTlsX509KeyManager keyManager;
  private final RenewableChannel channel;
  private final EnrolClient client;
  private final Clock clock;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile Credentials current;
  private Thread thread;

  /**
   * @param keyManager the channel's; this class sets its identity to {@code credentials} first
   * @param channel the agent's channel, which starts over with new connections after a renewal
   */
  public CertificateRenewer(
      CredentialFiles files,
      Credentials credentials,
      AdvancedTlsX509KeyManager keyManager,
      RenewableChannel channel,
      EnrolClient client,
      Clock clock,
      Backoff backoff,
      Sleeper sleeper) {
    this.files = files;
    this.keyManager = keyManager;
    this.channel = channel;
    this.client = client;
    this.clock = clock;
    this.backoff = backoff;
    this.sleeper = sleeper;
    install(credentials);
  }

  public Credentials current() {
    return current;
  }

  /** Renews if due; the result says what happened (failures are logged here). */
  public synchronized Result renewIfDue() {
    Credentials credentials = current;
    Instant now = clock.instant();
    if (credentials.expired(now)) {
      log.error(
          "this host's certificate expired at {}; the controller refuses it. To enrol again: stop"
              + " the agent, remove {}, write a new token (`pulley token create`) to the token"
              + " file and start the agent",
          credentials.expires(),
          files.dir());
      return Result.EXPIRED;
    }
    if (!credentials.renewalDue(now)) {
      return Result.NOT_DUE;
    }
    KeyPair keys = new KeyPair(credentials.certificate().getPublicKey(), credentials.key());
    EnrolClient.Answer answer =
        client.renew(CertificateRequests.create(keys, credentials.identity().name()));
    if (answer.kind() != EnrolClient.Kind.ISSUED) {
      log.warn(
          "cannot renew the certificate (it expires at {}): {}",
          credentials.expires(),
          answer.error());
      return Result.FAILED;
    }
    X509Certificate renewed = answer.certificate();
    try {
      renewed.verify(credentials.ca().getPublicKey());
    } catch (GeneralSecurityException e) {
      log.warn("renewal refused: the certificate is not signed by the controller's CA");
      return Result.FAILED;
    }
    if (!renewed.getPublicKey().equals(keys.getPublic())) {
      log.warn("renewal refused: the certificate is not for this host's key");
      return Result.FAILED;
    }
    try {
      files.saveCertificate(renewed);
    } catch (IOException e) {
      log.error("cannot save the renewed certificate in {}: {}", files.dir(), e.getMessage());
      return Result.FAILED;
    }
    install(new Credentials(credentials.key(), renewed, credentials.ca()));
    channel.reconnect();
    log.info("certificate renewed until {}", renewed.getNotAfter().toInstant());
    return Result.RENEWED;
  }

  /** Checks in the background until {@link #close}. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("renewer already started");
    }
    thread = new Thread(this::run, "pulley-agent-renew");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    stopping.set(true);
    sleeper.cancel();
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null) {
      try {
        running.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (!stopping.get()) {
      try {
        sleeper.sleep(delayAfter(renewIfDue()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("certificate renewal failed: {}", e.getMessage(), e);
        backoffWait();
      }
    }
  }

  /** How long to wait before the next check. */
  Duration delayAfter(Result result) {
    return switch (result) {
      case FAILED -> backoff.next();
      case EXPIRED -> EXPIRED_RETRY;
      case NOT_DUE, RENEWED -> {
        backoff.reset();
        Duration untilDue = untilDue();
        yield untilDue.compareTo(MAX_CHECK_INTERVAL) > 0 ? MAX_CHECK_INTERVAL : untilDue;
      }
    };
  }

  private Duration untilDue() {
    Credentials credentials = current;
    Instant start = credentials.certificate().getNotBefore().toInstant();
    Duration life = Duration.between(start, credentials.expires());
    Duration wait =
        Duration.between(clock.instant(), start.plus(life.multipliedBy(2).dividedBy(3)));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private void backoffWait() {
    try {
      sleeper.sleep(backoff.next());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.set(true);
    }
  }

  private void install(Credentials credentials) {
    keyManager.updateIdentityCredentials(
        new X509Certificate[] {credentials.certificate(), credentials.ca()}, credentials.key());
    current = credentials;
  }
}
