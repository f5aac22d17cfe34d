package io.pulley.agent.enrol;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.config.ConfigException;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.Sleeper;
import io.pulley.agent.poll.WakeableSleeper;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CaPin;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.ClientTls;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Fingerprints;
import io.pulley.trust.Identity;
import io.pulley.trust.TrustException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's first contact: trades a bootstrap token (or an admin's approval) and a certificate
 * request for a client certificate, and saves it in the tls dir. The key is made here and never
 * sent; the controller is trusted only if its CA matches the pin, before anything is sent. Used
 * from one thread.
 */
public final class Enrolment {
  private static final Logger log = LoggerFactory.getLogger(Enrolment.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

  /**
   * Timing and seams.
   *
   * @param backoff between attempts that could not reach the controller
   * @param pendingWait between asks while an admin's approval is pending
   * @param refusedWait after a refusal (expired or used token): slowly, as an admin may fix it
   */
  public record Settings(
      Backoff backoff, Sleeper sleeper, Duration pendingWait, Duration refusedWait) {
    public static Settings standard(Random random) {
      return new Settings(
          new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), random),
          new WakeableSleeper(),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5));
    }
  }

  private final AgentConfig config;
  private final CredentialFiles files;
  private Optional<BootstrapToken> token;
  private CaPin pin;
  private final Settings settings;

  private Enrolment(
      AgentConfig config, Optional<BootstrapToken> token, CaPin pin, Settings settings) {
    this.config = config;
    this.files = new CredentialFiles(config.tlsDir());
    this.token = token;
    this.pin = pin;
    this.settings = settings;
  }

  /**
   * What this host enrols with: the token in {@code token_file} if it exists, else {@code ca_pin}
   * alone (approval by an admin).
   *
   * @throws ConfigException if there is neither, the token is malformed, or its pin contradicts
   *     {@code ca_pin}
   */
  public static Enrolment prepare(AgentConfig config, Settings settings) throws ConfigException {
    Optional<BootstrapToken> token = readToken(config.tokenFile());
    if (token.isPresent()) {
      if (config.caPin().isPresent() && !config.caPin().get().equals(token.get().pin())) {
        throw new ConfigException(
            "the token in "
                + config.tokenFile()
                + " pins "
                + token.get().pin()
                + " but ca_pin is "
                + config.caPin().get()
                + ": which controller is it?");
      }
      return new Enrolment(config, token, token.get().pin(), settings);
    }
    if (config.caPin().isPresent()) {
      return new Enrolment(config, token, config.caPin().get(), settings);
    }
    throw new ConfigException(
        "not enrolled: no credentials in "
            + config.tlsDir()
            + ", no token in "
            + config.tokenFile()
            + " and no ca_pin. Create a token (`pulley token create`) and"
            + " write it to "
            + config.tokenFile()
            + " (mode 0600), or set ca_pin to wait for"
            + " `pulley hosts approve "
            + config.hostId()
            + "`");
  }

  /** The token in {@code file}, if the file exists; its content never reaches a message. */
  static Optional<BootstrapToken> readToken(Path file) throws ConfigException {
    String text;
    try {
      if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
        log.warn("{} is readable by every user; a token is a secret: chmod 600 it", file);
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    try {
      return Optional.of(BootstrapToken.parse(text));
    } catch (TrustException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Asks until a certificate is issued and saves it. With {@code once}, asks once.
   *
   * @return the saved credentials, or empty if {@code once} was not enough or the wait was
   *     interrupted
   */
  public Optional<Credentials> run(boolean once) throws IOException {
    KeyPair keys = HostKey.loadOrCreate(files);
    byte[] request = CertificateRequests.create(keys, config.hostId());
    String fingerprint = Fingerprints.of(keys.getPublic());
    log.info(
        "enrolling host {} with controller {} ({}; key {})",
        config.hostId(),
        config.controller(),
        token.map(BootstrapToken::toString).orElse("no token: an admin approves"),
        fingerprint);
    try {
      while (true) {
        Optional<Duration> wait = handle(ask(request), keys, fingerprint);
        if (wait.isEmpty()) {
          return Optional.of(files.load());
        }
        if (once) {
          return Optional.empty();
        }
        settings.sleeper().sleep(wait.get());
        reloadToken();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** One request, on a channel that trusts only the pinned CA (one handshake a try). */
  private EnrolClient.Answer ask(byte[] request) {
    ManagedChannel channel =
        Grpc.newChannelBuilder(config.controller(), ClientTls.pinned(pin)).build();
    try {
      return new EnrolClient(channel, CALL_DEADLINE)
          .enrol(token.map(BootstrapToken::secretPart).orElse(""), request, config.labels());
    } finally {
      channel.shutdownNow();
      awaitTermination(channel);
    }
  }

  /** An admin may replace a refused token in the file: the next try uses the new one. */
  private void reloadToken() {
    if (token.isEmpty()) {
      return;
    }
    try {
      Optional<BootstrapToken> fresh = readToken(config.tokenFile());
      if (fresh.isPresent() && !fresh.get().equals(token.get())) {
        log.info("{} holds a new token ({}); using it", config.tokenFile(), fresh.get());
        token = fresh;
        pin = fresh.get().pin();
      }
    } catch (ConfigException e) {
      log.error("{}; asking again with the previous token", e.getMessage());
    }
  }

  /** Saves an issued certificate (then empty), or logs why not and says how long to wait. */
  private Optional<Duration> handle(EnrolClient.Answer answer, KeyPair keys, String fingerprint)
      throws IOException {
    switch (answer.kind()) {
      case ISSUED -> {
        Optional<String> problem = problem(answer, keys);
        if (problem.isEmpty()) {
          files.save(new Credentials(keys.getPrivate(), answer.certificate(), answer.ca()));
          log.info(
              "enrolled as host {}; certificate until {} saved in {}{}",
              config.hostId(),
              answer.certificate().getNotAfter().toInstant(),
              files.dir(),
              token.isPresent()
                  ? "; the token is not needed any more (" + config.tokenFile() + " may be deleted)"
                  : "");
          return Optional.empty();
        }
        log.error("enrolment answer refused: {}", problem.get());
        return Optional.of(settings.refusedWait());
      }
      case PENDING -> {
        log.info(
            "waiting for an admin's approval; the key to compare is {}: `pulley hosts approve {}"
                + " --fingerprint {}`",
            fingerprint,
            config.hostId(),
            fingerprint);
        return Optional.of(settings.pendingWait());
      }
      case REFUSED -> {
        log.error(
            "the controller refused the enrolment ({}). {} Asking again in {} s",
            answer.error(),
            token.isPresent()
                ? "The token may be expired, used up or deleted: put a new one (`pulley token"
                    + " create`) into "
                    + config.tokenFile()
                    + "."
                : "The host may be revoked: `pulley hosts remove " + config.hostId() + "` first.",
            settings.refusedWait().toSeconds());
        return Optional.of(settings.refusedWait());
      }
      case FAILED -> {
        Duration wait = settings.backoff().next();
        log.warn("cannot enrol with controller {}: {}", config.controller(), answer.error());
        return Optional.of(wait);
      }
    }
    throw new IllegalStateException("unhandled answer " + answer.kind());
  }

  /** Why an issued certificate cannot be used, if it cannot. */
  private Optional<String> problem(EnrolClient.Answer answer, KeyPair keys) {
    if (!pin.matches(answer.ca())) {
      return Optional.of("its CA certificate does not match the pin " + pin);
    }
    if (!answer.certificate().getPublicKey().equals(keys.getPublic())) {
      return Optional.of("the certificate is not for this host's key");
    }
    try {
      answer.certificate().verify(answer.ca().getPublicKey());
    } catch (GeneralSecurityException e) {
      return Optional.of("the certificate is not signed by the controller's CA");
    }
    Identity identity;
    try {
      identity = new Credentials(keys.getPrivate(), answer.certificate(), answer.ca()).identity();
    } catch (TrustException e) {
      return Optional.of(e.getMessage());
    }
    if (!identity.equals(Identity.host(config.hostId()))) {
      return Optional.of(
          "the certificate speaks for " + identity + ", not host " + config.hostId());
    }
    return Optional.empty();
  }

  private static void awaitTermination(ManagedChannel channel) {
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
