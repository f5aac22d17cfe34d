package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.PollLoop;
import io.pulley.agent.poll.WakeableSleeper;
import io.pulley.v1.lite.AgentServiceGrpc;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.PollRequest;
import io.pulley.v1.lite.ReportRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's real channels (one network thread) against a controller on loopback TCP. */
class ControllerChannelsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path srv;
  @TempDir Path dataDir;
  final FakeAgentService controller = new FakeAgentService();
  final AgentTest.RecordingListener listener = new AgentTest.RecordingListener();
  final ControllerChannels channels = new ControllerChannels();
  final List<ManagedChannel> opened = new ArrayList<>();
  Agent agent;
  Server server;

  @BeforeEach
  void setUp() throws Exception {
    controller.holdFor(Duration.ofSeconds(60));
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(controller)
            .build()
            .start();
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    opened.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    channels.close();
  }

  private ManagedChannel open() {
    ManagedChannel channel =
        channels.open("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create());
    opened.add(channel);
    return channel;
  }

  /**
   * The live network threads of every agent in this JVM. Compared as sets: another test's thread,
   * still ending after its channels closed, would make a count of the difference come out short.
   */
  private static Set<Thread> networkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(ControllerChannels.THREAD_NAME))
        .collect(Collectors.toSet());
  }

  @Test
  void twoChannels_withCallsOnBoth_runOnOneNetworkThread() {
    Set<Thread> before = networkThreads();

    for (int i = 0; i < 2; i++) {
      AgentServiceGrpc.newBlockingStub(open())
          .report(ReportRequest.newBuilder().setReport(report("r" + i)).build());
    }

    assertThat(controller.reports()).hasSize(2);
    Set<Thread> started = new HashSet<>(networkThreads());
    started.removeAll(before);
    assertThat(started).hasSize(1);
  }

  @Test
  void aConnection_hasTheKernelsKeepAliveTimer_dueWithinTheProbeIdleTime() throws Exception {
    AgentServiceGrpc.newBlockingStub(open())
        .report(ReportRequest.newBuilder().setReport(report("r")).build());

    // Once what was sent is acknowledged (until then the retransmission timer runs instead), the
    // connection's kernel timer is the keep-alive one, due within the probe idle time. Without
    // SO_KEEPALIVE an idle connection has no timer; with the system's default idle time it would
    // be due in 2 hours.
    String[] timer =
        await().atMost(WAIT).until(this::timerOfTheConnection, t -> !t[0].equals("01"));
    assertThat(timer[0]).as("keep-alive timer").isEqualTo("02");
    assertThat(Long.parseLong(timer[1], 16))
        .isPositive()
        .isLessThanOrEqualTo(ControllerChannels.PROBE_IDLE_SECONDS * 100L);
  }

  /**
   * The kernel timer of the one established connection to the controller, from /proc/net/tcp and
   * tcp6 (Java's sockets are IPv6 ones, loopback IPv4-mapped): rows of "local rem st queues tr:when
   * ...", ports and timers in hex. Timer 1 is retransmission, 2 keep-alive; "when" is in clock
   * ticks (100 a second).
   */
  private String[] timerOfTheConnection() {
    List<String[]> toController =
        Stream.of("/proc/net/tcp", "/proc/net/tcp6")
            .flatMap(table -> linesOf(Path.of(table)).stream().skip(1))
            .map(line -> line.trim().split("\\s+"))
            .filter(
                f -> f[2].endsWith(String.format(":%04X", server.getPort())) && f[3].equals("01"))
            .toList();
    assertThat(toController).hasSize(1);
    return toController.get(0)[5].split(":");
  }

  @Test
  void newPlanWhileHeld_afterAnApply_answersTheHeldPoll() {
    controller.setPlan(plan("p1", "one"));
    agent = startAgent();
    await().atMost(WAIT).until(() -> pollsAfterApplying("p1") == 1);

    controller.setPlan(plan("p2", "two"));

    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p2"));
    assertThat(srv.resolve("hello.txt")).hasContent("two");
    // The poll held since p1 was applied brought p2: no second poll, no deadline ran out.
    assertThat(pollsAfterApplying("p1")).isEqualTo(1);
  }

  @Test
  void controllerKilled_whilePollIsHeld_isNoticed() throws Exception {
    controller.setPlan(plan("p1", "one"));
    agent = startAgent();
    await().atMost(WAIT).until(() -> pollsAfterApplying("p1") == 1);

    server.shutdownNow().awaitTermination();

    await().atMost(WAIT).until(() -> listener.events().contains("lost"));
    assertThat(
            agent
                .meterRegistry()
                .orElseThrow()
                .get("pulley.agent.polls")
                .tag("result", "error")
                .counter()
                .count())
        .isPositive();
  }

  private static List<String> linesOf(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Agent startAgent() {
    // metrics_listen set: only an agent that serves its meters keeps them.
    AgentConfig config =
        AgentConfig.builder("web-1")
            .dataDir(dataDir)
            .allowedRoots(List.of(srv))
            .metricsListen("127.0.0.1:0")
            .build();
    PollLoop.Settings settings =
        new PollLoop.Settings(
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(20), new Random(1)),
            new WakeableSleeper(),
            listener,
            Duration.ofMinutes(30));
    Agent started = new Agent(config, open(), Clock.systemUTC(), settings);
    started.start();
    return started;
  }

  private long pollsAfterApplying(String planId) {
    return controller.polls().stream()
        .map(PollRequest::getAppliedPlanId)
        .filter(planId::equals)
        .count();
  }

  private List<String> reportedPlanIds() {
    return controller.reports().stream().map(ApplyReport::getPlanId).toList();
  }

  private static ApplyReport report(String planId) {
    return ApplyReport.newBuilder().setHostId("web-1").setPlanId(planId).build();
  }

  private HostPlan plan(String id, String content) {
    return HelloPlans.plan(id, HelloPlans.file(srv, "hello.txt", content));
  }
}
