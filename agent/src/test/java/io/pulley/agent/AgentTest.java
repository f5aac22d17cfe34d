package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.ConnectionListener;
import io.pulley.agent.poll.FailedPlanRetry;
import io.pulley.agent.poll.PollLoop;
import io.pulley.agent.poll.WakeableSleeper;
import io.pulley.agent.state.StateStore;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.HostHealth;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration RECONVERGE = Duration.ofMinutes(30);

  @TempDir Path srv;
  @TempDir Path dataDir;
  final String serverName = InProcessServerBuilder.generateName();
  final FakeAgentService controller = new FakeAgentService();
  final RecordingListener listener = new RecordingListener();
  final List<Agent> agents = new ArrayList<>();
  Server server;
  ManagedChannel channel;

  /** Records outage events instead of logging them. */
  static final class RecordingListener implements ConnectionListener {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void lost(String reason) {
      events.add("lost");
    }

    @Override
    public synchronized void restored(int failedCalls) {
      events.add("restored");
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    server = startServer();
    channel = InProcessChannelBuilder.forName(serverName).build();
  }

  @AfterEach
  void tearDown() {
    agents.forEach(Agent::close);
    channel.shutdownNow();
    server.shutdownNow();
  }

  private Server startServer() throws Exception {
    return InProcessServerBuilder.forName(serverName).addService(controller).build().start();
  }

  private Agent agent() {
    return agent(Clock.systemUTC());
  }

  private Agent agent(Clock clock) {
    return agent(clock, "");
  }

  /** An agent with {@code metrics_listen} on a free loopback port: one that keeps meters. */
  private Agent servingMetrics() {
    return agent(Clock.systemUTC(), "127.0.0.1:0");
  }

  private Agent agent(Clock clock, String metricsListen) {
    AgentConfig config =
        AgentConfig.builder("web-1")
            .dataDir(dataDir)
            .allowedRoots(List.of(srv))
            .metricsListen(metricsListen)
            .build();
    PollLoop.Settings settings =
        new PollLoop.Settings(
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(20), new Random(1)),
            new WakeableSleeper(),
            listener,
            RECONVERGE);
    Agent agent = new Agent(config, channel, clock, settings);
    agents.add(agent);
    return agent;
  }

  private HostPlan plan(String id, String content) {
    return HelloPlans.plan(id, HelloPlans.file(srv, "hello.txt", content));
  }

  private List<String> reportedPlanIds() {
    return controller.reports().stream().map(ApplyReport::getPlanId).toList();
  }

  @Test
  void newPlan_isAppliedReportedAndThenPolledAsApplied() {
    controller.setPlan(plan("p1", "one"));
    Agent agent = servingMetrics();

    agent.start();

    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p1"));
    assertThat(srv.resolve("hello.txt")).hasContent("one");
    assertThat(agent.lastReport().map(ApplyReport::getOutcome))
        .contains(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    await()
        .atMost(WAIT)
        .until(() -> controller.polls().stream().anyMatch(p -> p.getAppliedPlanId().equals("p1")));
    assertThat(controller.polls().get(0).getHostId()).isEqualTo("web-1");
    assertThat(controller.polls().get(0).getHealth()).isEqualTo(HostHealth.HOST_HEALTH_HEALTHY);
    assertThat(
            agent
                .meterRegistry()
                .orElseThrow()
                .get("pulley.agent.applies")
                .tag("outcome", "succeeded")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void meters_areKeptOnlyWhenServed() {
    assertThat(agent().meterRegistry()).isEmpty();
    assertThat(servingMetrics().meterRegistry()).isPresent();
  }

  @Test
  void planChangedWhileHeld_isAppliedAtOnce() {
    controller.setPlan(plan("p1", "one"));
    agent().start();
    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p1"));

    controller.setPlan(plan("p2", "two"));

    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p2"));
    assertThat(srv.resolve("hello.txt")).hasContent("two");
  }

  @Test
  void controllerGoneAndBack_agentReconnectsByItselfAndLogsTheOutageOnce() throws Exception {
    controller.setPlan(plan("p1", "one"));
    Agent agent = servingMetrics();
    agent.start();
    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p1"));

    server.shutdownNow().awaitTermination();
    await().atMost(WAIT).until(() -> listener.events().contains("lost"));
    controller.setPlan(plan("p2", "two"));
    server = startServer();

    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p2"));
    assertThat(srv.resolve("hello.txt")).hasContent("two");
    assertThat(listener.events()).containsExactly("lost", "restored");
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

  @Test
  void undeliveredReport_isSentByTheNextAgentOnTheSameDataDir() {
    controller.rejectReports(true);
    controller.setPlan(plan("p1", "one"));
    Agent first = agent();
    first.start();
    await().atMost(WAIT).until(() -> first.lastReport().isPresent());
    first.close();

    controller.rejectReports(false);
    agent().start();

    await().atMost(WAIT).until(() -> reportedPlanIds().contains("p1"));
    await()
        .atMost(WAIT)
        .until(() -> controller.polls().stream().anyMatch(p -> p.getAppliedPlanId().equals("p1")));
    assertThat(reportedPlanIds()).containsExactly("p1");
  }

  @Test
  void planPersistedButNotApplied_isResumedBeforePolling() throws Exception {
    new StateStore(dataDir).savePlan(plan("crashed", "resumed"));

    agent().start();

    await().atMost(WAIT).until(() -> reportedPlanIds().contains("crashed"));
    assertThat(srv.resolve("hello.txt")).hasContent("resumed");
  }

  @Test
  void secondAgentOnTheSameDataDir_failsFast() {
    agent().start();

    assertThatThrownBy(() -> agent().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another pulley-agent");
  }

  @Test
  void runOnce_newPlan_appliesReportsAndSucceeds() throws Exception {
    controller.setPlan(plan("p1", "one"));

    assertThat(agent().runOnce()).isEqualTo(PollLoop.OnceResult.SUCCEEDED);
    assertThat(reportedPlanIds()).containsExactly("p1");
    assertThat(srv.resolve("hello.txt")).hasContent("one");
  }

  @Test
  void runOnce_noController_isUnreachable() throws Exception {
    server.shutdownNow().awaitTermination();

    assertThat(agent().runOnce()).isEqualTo(PollLoop.OnceResult.UNREACHABLE);
  }

  @Test
  void failedPlan_isTriedAgainAfterTheRetryDelay_andNotBefore() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    Path missing = srv.resolve("not-yet");
    Resource file =
        Resource.newBuilder()
            .setId("file:late")
            .setFile(File.newBuilder().setPath(missing.resolve("x.txt").toString()).setContent("x"))
            .build();
    controller.setPlan(
        HostPlan.newBuilder()
            .setPlanId("needs-dir")
            .addApps(AppPlan.newBuilder().setApplication("a").addResources(file))
            .build());
    agent(clock).start();
    await().atMost(WAIT).until(() -> reportedPlanIds().size() == 1);
    assertThat(controller.reports().get(0).getOutcome())
        .isEqualTo(ApplyOutcome.APPLY_OUTCOME_FAILED);
    Files.createDirectories(missing);

    // Polls within the delay say the plan is applied, so it is not sent again.
    int pollsBefore = controller.polls().size();
    await().atMost(WAIT).until(() -> controller.polls().size() >= pollsBefore + 2);
    assertThat(reportedPlanIds()).hasSize(1);

    clock.advance(FailedPlanRetry.longest(1).plusSeconds(1));

    await().atMost(WAIT).until(() -> reportedPlanIds().size() == 2);
    assertThat(controller.reports().get(1).getOutcome())
        .isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(missing.resolve("x.txt")).hasContent("x");
  }

  @Test
  void unchangedPlan_isAppliedAgainAfterTheReconvergeInterval_correctingDrift() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    controller.setPlan(plan("p1", "one\n"));
    agent(clock).start();
    await().atMost(WAIT).until(() -> reportedPlanIds().size() == 1);
    Files.writeString(srv.resolve("hello.txt"), "edited\n");

    int pollsBefore = controller.polls().size();
    await().atMost(WAIT).until(() -> controller.polls().size() >= pollsBefore + 2);
    assertThat(reportedPlanIds()).hasSize(1);

    clock.advance(RECONVERGE.plusSeconds(1));

    await().atMost(WAIT).until(() -> reportedPlanIds().size() == 2);
    ApplyReport again = controller.reports().get(1);
    assertThat(again.getPlanId()).isEqualTo("p1");
    assertThat(again.getResults(0).getDrift())
        .isEqualTo("content edited outside Pulley, at line 1:\n-one\n+edited");
    assertThat(srv.resolve("hello.txt")).hasContent("one");
  }

  @Test
  void runOnce_failedApply_isApplyFailed() throws Exception {
    Resource outside =
        Resource.newBuilder()
            .setId("file:outside")
            .setFile(File.newBuilder().setPath("/nonexistent-root/x").setContent("x"))
            .build();
    controller.setPlan(
        HostPlan.newBuilder()
            .setPlanId("bad")
            .addApps(AppPlan.newBuilder().setApplication("a").addResources(outside))
            .build());

    assertThat(agent().runOnce()).isEqualTo(PollLoop.OnceResult.APPLY_FAILED);
    assertThat(controller.reports().get(0).getResults(0).getReason())
        .contains("outside the allowed roots");
  }

  @Test
  void close_whilePollIsHeld_returnsPromptly() {
    Agent agent = agent();
    agent.start();
    await().atMost(WAIT).until(() -> !controller.polls().isEmpty());

    agent.close();

    assertThat(agent.lastReport()).isEmpty();
  }
}
