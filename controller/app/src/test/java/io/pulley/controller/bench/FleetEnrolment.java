package io.pulley.controller.bench;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CaPin;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.ClientTls;
import io.pulley.trust.Credentials;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.Pem;
import io.pulley.trust.TrustManagers;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolServiceGrpc;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Makes N simulated hosts real enrolled hosts, as the agent does: its own P-256 key, a certificate
 * request naming its host id, and the real Enrol call with a host token over TLS pinned to the CA,
 * each on a fresh connection (an agent enrols once, then dials again with its certificate). Keys
 * and requests are made before the clock starts; a few enrolments run at once, as when a fleet is
 * installed together. Not thread-safe: one call at a time.
 */
final class FleetEnrolment {
  /** The most uses one host token may have. */
  static final int USES_PER_TOKEN = 10_000;

  private static final int PARALLEL_ENROLMENTS = 8;
  private static final long DEADLINE_SECONDS = 120;

  /** A host's key and its certificate request, made before the clock starts. */
  record Applicant(KeyPair keys, byte[] certificateRequest) {}

  private final InetSocketAddress controller;
  private final List<String> tokens;
  private final CaPin pin;

  /**
   * @param tokens host tokens whose uses cover the fleet, {@link #USES_PER_TOKEN} each
   */
  FleetEnrolment(InetSocketAddress controller, List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("no host tokens");
    }
    this.controller = controller;
    this.tokens = List.copyOf(tokens);
    this.pin = BootstrapToken.parse(tokens.get(0)).pin();
  }

  /** Keys and requests for hosts {@code hostId.apply(1..n)}, made on every core. */
  static List<Applicant> applicants(int n, IntFunction<String> hostId) throws InterruptedException {
    return inParallel(
        n,
        Runtime.getRuntime().availableProcessors(),
        i -> {
          KeyPair keys = KeyPairs.generate();
          return new Applicant(keys, CertificateRequests.create(keys, hostId.apply(i + 1)));
        });
  }

  /** Enrols every applicant, the i-th with the i-th use of the tokens; fails if any is refused. */
  List<Credentials> enrol(List<Applicant> applicants) throws InterruptedException {
    ChannelCredentials pinned = ClientTls.pinned(pin);
    return inParallel(
        applicants.size(),
        PARALLEL_ENROLMENTS,
        i -> enrolOne(applicants.get(i), tokens.get(i / USES_PER_TOKEN), pinned));
  }

  private Credentials enrolOne(Applicant applicant, String token, ChannelCredentials pinned) {
    ManagedChannel channel = BenchAccess.channel(controller, pinned);
    try {
      EnrolResponse response =
          EnrolServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .enrol(
                  EnrolRequest.newBuilder()
                      .setToken(BootstrapToken.parse(token).secretPart())
                      .setCertificateRequest(ByteString.copyFrom(applicant.certificateRequest()))
                      .build());
      return new Credentials(
          applicant.keys().getPrivate(),
          Pem.certificate(response.getCertificate().toByteArray()),
          Pem.certificate(response.getCaCertificate().toByteArray()));
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Each host's mutual TLS: its own certificate and key, trusting only the controller's CA (one
   * trust manager for all: it holds nothing per host).
   */
  static IntFunction<ChannelCredentials> mutualTls(List<Credentials> hosts) {
    X509ExtendedTrustManager trust = TrustManagers.forCa(hosts.get(0).ca());
    return i ->
        TlsChannelCredentials.newBuilder()
            .keyManager(new FixedKeyManager(hosts.get(i)))
            .trustManager(trust)
            .build();
  }

  /** work(0..n-1) on {@code threads} threads, results in index order; the first failure fails. */
  private static <T> List<T> inParallel(int n, int threads, IntFunction<T> work)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> work.apply(index)));
      }
      List<T> results = new ArrayList<>(n);
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      throw new IllegalStateException("enrolment failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
