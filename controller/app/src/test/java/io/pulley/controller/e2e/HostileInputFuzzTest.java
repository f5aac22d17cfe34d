package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.pulley.controller.store.SqliteStore;
import io.pulley.testing.TestRepository;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.GetHostReportRequest;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.ManifestErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of seeded hostile manifests and reports against a real controller over gRPC. Every one
 * is accepted or refused with a reason; none kills a thread, shows a stack trace, grows the store
 * or the heap without bound, or stores anything when refused. The seed is fixed so that a failure
 * reproduces; {@code -Dfuzz.seed=N -Dfuzz.rounds=N} explore further.
 */
class HostileInputFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", 15);
  private static final int ROUNDS = Integer.getInteger("fuzz.rounds", 2000);

  /** Far above any honest call; a hang or a quadratic blow-up ends here and fails. */
  private static final long DEADLINE_SECONDS = 20;

  @TempDir Path temp;
  private LocalController controller;
  private ManagedChannel channel;
  private TestRepository repository;
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previousHandler;

  @BeforeEach
  void start() throws Exception {
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
    controller = LocalController.start(temp.resolve("controller"));
    channel = NettyChannelBuilder.forTarget(controller.address()).usePlaintext().build();
    repository = TestRepository.create(temp.resolve("repo"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
    repository.close();
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
  }

  @Test
  void hostileManifestsAreAcceptedOrRefusedWithAReasonAndRefusedOnesStoreNothing()
      throws Exception {
    String seed = HelloManifest.yaml("fuzz", temp.resolve("srv"), repository.url(), "Hello");
    ManifestMutator mutator = new ManifestMutator(SEED);
    int accepted = 0;
    int refused = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String manifest = mutator.mutate(seed);
      long revisionsBefore = revisions();
      try {
        admin()
            .applyManifest(
                ApplyManifestRequest.newBuilder()
                    .setManifestYaml(manifest)
                    .setSourceName("fuzz.yaml")
                    .build());
        accepted++;
      } catch (StatusRuntimeException e) {
        assertRefusedWithReasons(e, round);
        assertThat(revisions())
            .as("round %d stored a refused manifest", round)
            .isEqualTo(revisionsBefore);
        refused++;
      }
    }
    assertThat(refused).as("the mutations must exercise the refusals").isPositive();
    assertThat(accepted + refused).isEqualTo(ROUNDS);
    assertThat(uncaught).as("threads that died").isEmpty();
    assertHeapBounded();
  }

  @Test
  void hostileReportsAreAcceptedOrRefusedAndAdminsStillReadSafeText() throws Exception {
    ReportMutator mutator = new ReportMutator(SEED);
    for (int round = 0; round < ROUNDS / 4; round++) {
      ByteString report = mutator.next("fuzz-1");
      try {
        ClientCalls.blockingUnaryCall(
            channel,
            rawReport(),
            CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS),
            reportRequest(report));
      } catch (StatusRuntimeException e) {
        // Bytes that are no message at all are refused by gRPC itself before our code runs.
        Status.Code code = e.getStatus().getCode();
        assertThat(
                mutator.garbage
                    || code == Status.Code.INVALID_ARGUMENT
                    || code == Status.Code.RESOURCE_EXHAUSTED)
            .as("round %d: %s", round, e.getStatus())
            .isTrue();
        assertNoStackTrace(e, round);
      }
      // Admins can always read the fleet, and never receive a terminal escape from a host.
      var hosts = admin().listHosts(ListHostsRequest.getDefaultInstance());
      assertThat(hosts.toString()).doesNotContain("\u001b");
      if (hosts.getHostsCount() > 0) {
        var last =
            admin().getHostReport(GetHostReportRequest.newBuilder().setHostId("fuzz-1").build());
        assertThat(last.toString()).doesNotContain("\u001b").doesNotContain("\u0007");
      }
    }
    assertThat(uncaught).as("threads that died").isEmpty();
    assertHeapBounded();
  }

  private AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return AdminServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static void assertRefusedWithReasons(StatusRuntimeException e, int round) {
    assertThat(e.getStatus().getCode())
        .as("round %d: %s", round, e.getStatus())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertNoStackTrace(e, round);
    ManifestErrors errors = detailsOf(e);
    assertThat(errors).as("round %d: no ManifestErrors in %s", round, e.getStatus()).isNotNull();
    assertThat(errors.getErrorsList()).as("round %d", round).isNotEmpty();
    for (ManifestError error : errors.getErrorsList()) {
      assertThat(error.getReason()).as("round %d: %s", round, error).isNotBlank();
      assertThat(!error.getField().isEmpty() || error.getLine() > 0)
          .as("round %d: neither a field nor a line in %s", round, error)
          .isTrue();
    }
  }

  private static void assertNoStackTrace(StatusRuntimeException e, int round) {
    String description = String.valueOf(e.getStatus().getDescription());
    assertThat(description)
        .as("round %d", round)
        .doesNotContain("\tat ")
        .doesNotContain("Exception")
        .doesNotContain("Error:");
    assertThat(e.getStatus().getCause()).isNull();
  }

  private static ManifestErrors detailsOf(StatusRuntimeException e) {
    com.google.rpc.Status status = io.grpc.protobuf.StatusProto.fromThrowable(e);
    if (status == null) {
      return null;
    }
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(ManifestErrors.class)) {
        try {
          return detail.unpack(ManifestErrors.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
          return null;
        }
      }
    }
    return null;
  }

  private long revisions() throws SQLException {
    String url = "jdbc:sqlite:" + temp.resolve("controller").resolve(SqliteStore.FILE_NAME);
    try (Connection db = DriverManager.getConnection(url);
        ResultSet rows = db.createStatement().executeQuery("SELECT count(*) FROM revisions")) {
      return rows.getLong(1);
    }
  }

  /** The heap after a collection stays far below what the hostile inputs added up to. */
  private static void assertHeapBounded() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    long used = runtime.totalMemory() - runtime.freeMemory();
    assertThat(used).as("heap in use after the run").isLessThan(512L << 20);
  }

  /** ReportRequest { report = 1 } around bytes that may not be a report at all. */
  private static ByteString reportRequest(ByteString report) {
    ByteString.Output out = ByteString.newOutput();
    try {
      com.google.protobuf.CodedOutputStream coded =
          com.google.protobuf.CodedOutputStream.newInstance(out);
      coded.writeBytes(1, report);
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteString();
  }

  private static MethodDescriptor<ByteString, ByteString> rawReport() {
    MethodDescriptor.Marshaller<ByteString> bytes =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(ByteString value) {
            return new ByteArrayInputStream(value.toByteArray());
          }

          @Override
          public ByteString parse(InputStream stream) {
            try {
              return ByteString.readFrom(stream);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    return MethodDescriptor.<ByteString, ByteString>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("pulley.v1.AgentService/Report")
        .setRequestMarshaller(bytes)
        .setResponseMarshaller(bytes)
        .build();
  }
}
