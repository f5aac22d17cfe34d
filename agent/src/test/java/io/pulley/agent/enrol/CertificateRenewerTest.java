package io.pulley.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.WakeableSleeper;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.ClientTls;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Identity;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.PemFiles;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRenewerTest {
  @TempDir Path dir;
  private TlsEnrolServer server;
  private RenewableChannel channel;
  private CredentialFiles files;
  private Credentials enrolled;
  private AdvancedTlsX509KeyManager keyManager;

  @BeforeEach
  void enrol() throws Exception {
    server = new TlsEnrolServer(dir.resolve("controller"));
    KeyPair keys = KeyPairs.generate();
    enrolled =
        new Credentials(
            keys.getPrivate(),
            server.ca.issueClient(
                keys.getPublic(), Identity.host("web-1"), TlsEnrolServer.LIFETIME),
            server.ca.certificate());
    files = new CredentialFiles(dir.resolve("tls"));
    files.save(enrolled);
    keyManager = new AdvancedTlsX509KeyManager();
    channel =
        new RenewableChannel(
            () ->
                Grpc.newChannelBuilder(
                        server.target(), ClientTls.mutual(keyManager, server.ca.certificate()))
                    .build());
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void renewIfDue_early_doesNothing() {
    CertificateRenewer renewer = renewer(at(Duration.ofMinutes(10)));

    assertThat(renewer.renewIfDue()).isEqualTo(CertificateRenewer.Result.NOT_DUE);
    assertThat(server.presented).isEmpty();
  }

  @Test
  void renewIfDue_due_swapsTheCertificateAndANewConnectionPresentsIt() throws Exception {
    CertificateRenewer renewer = renewer(at(Duration.ofMinutes(50)));

    assertThat(renewer.renewIfDue()).isEqualTo(CertificateRenewer.Result.RENEWED);

    assertThat(server.presented).containsExactly(enrolled.certificate());
    Credentials renewed = renewer.current();
    assertThat(renewed.certificate()).isNotEqualTo(enrolled.certificate());
    assertThat(renewed.certificate().getPublicKey())
        .isEqualTo(enrolled.certificate().getPublicKey());
    assertThat(PemFiles.certificate(files.certificateFile())).isEqualTo(renewed.certificate());
    new EnrolClient(channel, Duration.ofSeconds(10))
        .renew(
            CertificateRequests.create(
                new KeyPair(renewed.certificate().getPublicKey(), renewed.key()), "web-1"));
    assertThat(server.presented.stream().map(c -> c.getSerialNumber().toString(16)).toList())
        .containsExactly(
            enrolled.certificate().getSerialNumber().toString(16),
            renewed.certificate().getSerialNumber().toString(16));
  }

  @Test
  void renewIfDue_expired_saysSoWithoutCalling() {
    CertificateRenewer renewer = renewer(at(Duration.ofHours(2)));

    assertThat(renewer.renewIfDue()).isEqualTo(CertificateRenewer.Result.EXPIRED);
    assertThat(server.presented).isEmpty();
  }

  @Test
  void renewIfDue_serverGone_failsAndBacksOff() throws Exception {
    CertificateRenewer renewer = renewer(at(Duration.ofMinutes(50)));
    server.close();

    CertificateRenewer.Result result = renewer.renewIfDue();

    assertThat(result).isEqualTo(CertificateRenewer.Result.FAILED);
    assertThat(renewer.delayAfter(result)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(renewer.current()).isEqualTo(enrolled);
  }

  private Clock at(Duration afterIssue) {
    Instant issued = enrolled.certificate().getNotBefore().toInstant().plus(Duration.ofMinutes(5));
    return Clock.fixed(issued.plus(afterIssue), ZoneOffset.UTC);
  }

  private CertificateRenewer renewer(Clock clock) {
    return new CertificateRenewer(
        files,
        enrolled,
        keyManager,
        channel,
        new EnrolClient(channel, Duration.ofSeconds(10)),
        clock,
        new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10), new Random(1)),
        new WakeableSleeper());
  }
}
