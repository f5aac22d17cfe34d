package io.pulley.agent.poll;

import static io.pulley.agent.poll.ScriptedController.newPlan;
import static io.pulley.agent.poll.ScriptedController.outage;
import static io.pulley.agent.poll.ScriptedController.unavailable;
import static io.pulley.agent.poll.ScriptedController.unchanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.pulley.agent.HelloPlans;
import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.ApplyJournal;
import io.pulley.agent.apply.wiring.Executors;
import io.pulley.agent.facts.HostFactsCollector;
import io.pulley.agent.metrics.PrometheusAgentMetrics;
import io.pulley.agent.poll.ConnectionTrackerTest.RecordingListener;
import io.pulley.agent.state.StateStore;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.HostHealth;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.PollRequest;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poll loop against a real in-process gRPC controller whose answers each test scripts, a real
 * applier writing under a temp dir, and fake time: the clock moves only when a test moves it, and
 * backoff waits are recorded instead of slept.
 */
class PollLoopTest {
  private static final Duration INITIAL = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(8);
  private static final long SEED = 7;
  private static final Duration RECONVERGE = Duration.ofMinutes(30);

  @TempDir Path srv;
  @TempDir Path dataDir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
  final ScriptedController controller = new ScriptedController();
  final RecordingListener listener = new RecordingListener();
  final RecordingSleeper sleeper = new RecordingSleeper();
  final PrometheusAgentMetrics metrics = new PrometheusAgentMetrics();
  Server server;
  ManagedChannel channel;
  PollLoop loop;
  Thread thread;

  @BeforeEach
  void setUp() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(controller).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (thread != null && thread.isAlive()) {
      stopAndJoin();
    }
    channel.shutdownNow();
    server.shutdownNow();
  }

  private PollLoop.Settings settings(Duration pollHold) {
    return new PollLoop.Settings(
        pollHold,
        Duration.ofSeconds(5),
        new Backoff(INITIAL, MAX, new Random(SEED)),
        sleeper,
        listener,
        RECONVERGE);
  }

  private PollLoop newLoop(Duration reconvergeInterval) throws IOException {
    PollLoop.Settings settings =
        new PollLoop.Settings(
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            new Backoff(INITIAL, MAX, new Random(SEED)),
            sleeper,
            listener,
            reconvergeInterval);
    return new PollLoop(
        "web-1",
        Map.of("role", "web"),
        new ControllerClient(channel),
        new StateStore(dataDir),
        new Applier(
            Executors.forRoots(List.of(srv)),
            dataDir.resolve("converge"),
            new ApplyJournal(dataDir),
            clock),
        new HostFactsCollector(),
        metrics,
        clock,
        settings);
  }

  private void start(Duration reconvergeInterval) throws IOException {
    start(newLoop(reconvergeInterval));
  }

  private void start(PollLoop next) {
    loop = next;
    thread = new Thread(next::run, "poll-loop-under-test");
    thread.start();
  }

  /** Stops the loop and returns how long its thread took to end. */
  private Duration stopAndJoin() throws InterruptedException {
    long begin = System.nanoTime();
    loop.stop();
    thread.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(thread.isAlive()).as("loop still running 5 s after stop").isFalse();
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  private HostPlan plan(String id, Resource... resources) {
    return HelloPlans.plan(id, resources);
  }

  private Resource file(String relative, String content) {
    return HelloPlans.file(srv, relative, content);
  }

  private static Resource command(String id, String... argv) {
    return Resource.newBuilder()
        .setId(id)
        .setCommand(Command.newBuilder().addAllArgv(List.of(argv)).setTimeoutSeconds(10))
        .build();
  }

  /** A plan whose file lies in a directory that does not exist yet, so its apply fails. */
  private HostPlan failingPlan(String id) {
    return plan(id, file("missing/x.txt", "x"));
  }

  private List<ApplyOutcome> reportedOutcomes() {
    return controller.reports().stream().map(ApplyReport::getOutcome).toList();
  }

  private double count(String meter, String tag, String value) {
    return metrics.registry().orElseThrow().get(meter).tag(tag, value).counter().count();
  }

  /** The first {@code n} fractions a Random seeded like the loop's backoff draws. */
  private static List<Double> draws(int n) {
    Random replay = new Random(SEED);
    return DoubleStream.generate(replay::nextDouble).limit(n).boxed().toList();
  }

  private static double fraction(Duration wait, Duration ceiling) {
    return (double) wait.toNanos() / ceiling.toNanos();
  }

  @Test
  void poll_newPlan_isPersistedBeforeApply() throws Exception {
    // The command runs during the apply and copies what the store holds at that moment.
    Path seen = srv.resolve("plan-seen-during-apply.pb");
    HostPlan plan =
        plan(
            "p1",
            command("command:copy", "cp", dataDir.resolve("plan.pb").toString(), seen.toString()));
    controller.answerPolls(newPlan(plan));

    start(RECONVERGE);
    controller.awaitHeldPoll(2);

    assertThat(reportedOutcomes()).containsExactly(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(HostPlan.parseFrom(Files.readAllBytes(seen))).isEqualTo(plan);
    assertThat(new StateStore(dataDir).plan()).contains(plan);
  }

  @Test
  void poll_asksForTheConfiguredHold() throws Exception {
    start(RECONVERGE);

    assertThat(controller.awaitHeldPoll(1).getHoldSeconds()).isEqualTo(30);
  }

  @Test
  void pollDeadline_isTheHoldAndAMargin_neverLessThanAnUnaskedHoldNeeds() {
    PollLoop.Settings settings = settings(Duration.ofMinutes(4));
    assertThat(settings.pollDeadline()).isEqualTo(Duration.ofSeconds(270));
    assertThat(settings(Duration.ofSeconds(10)).pollDeadline()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void poll_newPlan_isAppliedReportedAndThenPolledAsApplied() throws Exception {
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one"))));

    start(RECONVERGE);
    PollRequest next = controller.awaitHeldPoll(2);

    assertThat(srv.resolve("hello.txt")).hasContent("one");
    assertThat(controller.calls()).containsExactly("poll ", "report p1", "poll p1");
    ApplyReport report = controller.reports().get(0);
    assertThat(report.getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(report.getResults(0).getOutcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(loop.lastReport()).contains(report);
    assertThat(next.getHostId()).isEqualTo("web-1");
    assertThat(next.getFacts().getLabelsMap()).containsEntry("role", "web");
    assertThat(next.getHealth()).isEqualTo(HostHealth.HOST_HEALTH_HEALTHY);
    assertThat(count("pulley.agent.polls", "result", "new_plan")).isEqualTo(1.0);
    assertThat(count("pulley.agent.applies", "outcome", "succeeded")).isEqualTo(1.0);
  }

  @Test
  void poll_unchanged_appliesNothing() throws Exception {
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one"))));
    start(RECONVERGE);
    controller.awaitHeldPoll(2);
    ApplyReport applied = loop.lastReport().orElseThrow();
    // A hand edit that any apply would put back.
    Files.writeString(srv.resolve("hello.txt"), "edited");

    controller.answerPolls(unchanged(), unchanged());
    PollRequest next = controller.awaitHeldPoll(4);

    assertThat(srv.resolve("hello.txt")).hasContent("edited");
    assertThat(controller.reports()).hasSize(1);
    assertThat(loop.lastReport()).contains(applied);
    assertThat(next.getAppliedPlanId()).isEqualTo("p1");
    assertThat(count("pulley.agent.polls", "result", "unchanged")).isEqualTo(2.0);
    assertThat(count("pulley.agent.applies", "outcome", "succeeded")).isEqualTo(1.0);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void poll_controllerUnavailable_backsOffWithJitterThatGrowsAndIsCapped() throws Exception {
    controller.answerPolls(outage(7));

    start(RECONVERGE);
    controller.awaitHeldPoll(8);

    // Full jitter: each wait is a seeded random fraction of a ceiling doubling from 1 s to 8 s.
    List<Duration> ceilings =
        List.of(INITIAL, INITIAL.multipliedBy(2), INITIAL.multipliedBy(4), MAX);
    List<Duration> waits = sleeper.waits();
    List<Double> draws = draws(7);
    assertThat(waits).hasSize(7);
    for (int i = 0; i < waits.size(); i++) {
      Duration ceiling = ceilings.get(Math.min(i, ceilings.size() - 1));
      assertThat(fraction(waits.get(i), ceiling))
          .as("wait %d", i)
          .isCloseTo(draws.get(i), within(1e-6));
    }
    assertThat(Collections.max(waits)).isGreaterThan(INITIAL).isLessThanOrEqualTo(MAX);
    assertThat(waits).doesNotHaveDuplicates();
    assertThat(listener.events()).containsExactly("lost: UNAVAILABLE: controller down");
    assertThat(count("pulley.agent.polls", "result", "error")).isEqualTo(7.0);
    assertThat(controller.reports()).isEmpty();
  }

  @Test
  void poll_controllerBackAfterOutage_saysSoBacksOffFromTheStartAgainAndAppliesAndReports()
      throws Exception {
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one"))));
    start(RECONVERGE);
    controller.awaitHeldPoll(2);

    controller.answerPolls(outage(3));
    controller.awaitHeldPoll(5);
    // During the outage the host keeps what it has.
    assertThat(srv.resolve("hello.txt")).hasContent("one");
    assertThat(loop.lastReport().map(ApplyReport::getPlanId)).contains("p1");

    controller.answerPolls(unchanged(), unavailable());
    controller.awaitHeldPoll(7);
    // The failure after the answered poll waits under the initial ceiling again, not under 8 s.
    List<Duration> waits = sleeper.waits();
    assertThat(waits).hasSize(4);
    assertThat(fraction(waits.get(3), INITIAL)).isCloseTo(draws(4).get(3), within(1e-6));

    controller.answerPolls(newPlan(plan("p2", file("hello.txt", "two"))));
    controller.awaitHeldPoll(8);
    assertThat(srv.resolve("hello.txt")).hasContent("two");
    assertThat(controller.reports()).extracting(ApplyReport::getPlanId).containsExactly("p1", "p2");
    assertThat(listener.events())
        .containsExactly(
            "lost: UNAVAILABLE: controller down",
            "restored after 3",
            "lost: UNAVAILABLE: controller down",
            "restored after 1");
  }

  @Test
  void poll_afterAFailedCall_isAnsweredAtOnce_untilOneSucceeds_thenHeldAgain() throws Exception {
    controller.answerPolls(unchanged(), unavailable(), unavailable(), unchanged());
    start(RECONVERGE);
    controller.awaitHeldPoll(5);

    // Held, failed, then asked without a hold while the outage lasts and for the poll that ends
    // it; held again after it, as before.
    assertThat(controller.polls())
        .extracting(PollRequest::getNoHold)
        .containsExactly(false, false, true, true, false);
    assertThat(controller.polls()).extracting(PollRequest::getHoldSeconds).containsOnly(30);
    assertThat(listener.events())
        .containsExactly("lost: UNAVAILABLE: controller down", "restored after 2");
  }

  @Test
  void reconverge_afterFailedApply_appliesThePlanAgainWhenDue_andNotBefore() throws Exception {
    // Sooner than the first retry, so only the reconverge timer can re-apply here.
    Duration interval = FailedPlanRetry.FIRST.minusSeconds(10);
    controller.answerPolls(newPlan(failingPlan("p1")));
    start(interval);
    PollRequest afterFailure = controller.awaitHeldPoll(2);
    assertThat(reportedOutcomes()).containsExactly(ApplyOutcome.APPLY_OUTCOME_FAILED);
    assertThat(afterFailure.getHealth()).isEqualTo(HostHealth.HOST_HEALTH_DEGRADED);
    Files.createDirectories(srv.resolve("missing")); // the passing cause goes away

    clock.advance(interval.minusSeconds(1));
    controller.answerPolls(unchanged());
    controller.awaitHeldPoll(3);
    assertThat(srv.resolve("missing/x.txt")).doesNotExist();
    assertThat(controller.reports()).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    controller.answerPolls(unchanged());
    PollRequest afterReconverge = controller.awaitHeldPoll(4);

    assertThat(srv.resolve("missing/x.txt")).hasContent("x");
    assertThat(reportedOutcomes())
        .containsExactly(ApplyOutcome.APPLY_OUTCOME_FAILED, ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(controller.calls())
        .containsExactly("poll ", "report p1", "poll p1", "poll p1", "report p1", "poll p1");
    assertThat(afterReconverge.getHealth()).isEqualTo(HostHealth.HOST_HEALTH_HEALTHY);
  }

  @Test
  void reconverge_dueWhileAPollIsHeld_runsOnTime_withoutWaitingForTheHoldToEnd() throws Exception {
    Duration interval = Duration.ofSeconds(2);
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one"))));
    start(interval);
    controller.awaitHeldPoll(2); // held: the controller never answers it in this test
    Files.writeString(srv.resolve("hello.txt"), "edited by hand");

    clock.advance(interval);

    // The held poll's deadline was cut to the reconvergence's time (2 s), not the 90 s deadline.
    await().atMost(Duration.ofSeconds(10)).until(() -> controller.reports().size() == 2);
    assertThat(srv.resolve("hello.txt")).hasContent("one");
    assertThat(sleeper.waits()).as("no backoff: a poll cut short is no failure").isEmpty();
    assertThat(count("pulley.agent.polls", "result", "error")).isZero();
  }

  @Test
  void report_refusedByTheController_isDroppedOnce_andPollingGoesOn() throws Exception {
    controller.refuseReports();
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one"))));
    start(RECONVERGE);
    controller.awaitHeldPoll(2);

    assertThat(controller.calls()).containsExactly("poll ", "refused p1", "poll p1");
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void reconverge_dueWhileControllerUnreachable_correctsDriftAndReportsWhenBack() throws Exception {
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one\n"))));
    start(RECONVERGE);
    controller.awaitHeldPoll(2);
    Files.writeString(srv.resolve("hello.txt"), "edited\n");
    clock.advance(RECONVERGE);

    controller.rejectReports(2);
    controller.answerPolls(unavailable());
    controller.awaitHeldPoll(3);

    assertThat(srv.resolve("hello.txt")).hasContent("one");
    assertThat(controller.calls())
        .containsExactly(
            "poll ", "report p1", "poll p1", "rejected p1", "rejected p1", "report p1", "poll p1");
    assertThat(controller.reports().get(1).getResults(0).getDrift()).contains("edited");
    assertThat(sleeper.waits()).hasSize(3);
    assertThat(listener.events())
        .containsExactly("lost: UNAVAILABLE: controller down", "restored after 3");
  }

  @Test
  void reconverge_zeroInterval_neverAppliesAnUnchangedPlanAgain() throws Exception {
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one"))));
    start(Duration.ZERO);
    controller.awaitHeldPoll(2);
    Files.writeString(srv.resolve("hello.txt"), "edited");

    clock.advance(Duration.ofDays(1));
    controller.answerPolls(unchanged(), unavailable());
    controller.awaitHeldPoll(4);

    assertThat(srv.resolve("hello.txt")).hasContent("edited");
    assertThat(controller.reports()).hasSize(1);
  }

  /**
   * A failed plan is retried by polling with an empty applied plan id, so that the controller sends
   * it again (docs/agent.md, "When an apply fails"); while the controller is unreachable nothing
   * re-applies it until the reconverge interval.
   */
  @Test
  void failedApply_controllerUnreachable_isRetriedOnlyByReconverge_notAfterFiveMinutes()
      throws Exception {
    controller.answerPolls(newPlan(failingPlan("p1")));
    start(RECONVERGE);
    controller.awaitHeldPoll(2);
    Files.createDirectories(srv.resolve("missing"));

    clock.advance(FailedPlanRetry.longest(1).plusSeconds(1));
    controller.answerPolls(outage(2));
    PollRequest retry = controller.awaitHeldPoll(4);

    assertThat(retry.getAppliedPlanId()).as("asks the controller to resend").isEmpty();
    assertThat(srv.resolve("missing/x.txt")).doesNotExist();
    assertThat(loop.lastReport().map(ApplyReport::getOutcome))
        .contains(ApplyOutcome.APPLY_OUTCOME_FAILED);

    clock.advance(RECONVERGE.minus(FailedPlanRetry.longest(1)));
    controller.answerPolls(unavailable());
    controller.awaitHeldPoll(5);

    assertThat(srv.resolve("missing/x.txt")).hasContent("x");
    assertThat(reportedOutcomes())
        .containsExactly(ApplyOutcome.APPLY_OUTCOME_FAILED, ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
  }

  @Test
  void failedPlan_isRetriedAfterFiveMinutes_thenTwiceAsLongAfterEachFailureOfIt() throws Exception {
    controller.answerPolls(newPlan(failingPlan("p1")));
    start(Duration.ZERO);
    controller.awaitHeldPoll(2);

    for (int failures = 1; failures <= 3; failures++) {
      Duration ceiling = FailedPlanRetry.ceiling(failures);
      clock.advance(ceiling.minusSeconds(1));
      int before = controller.polls().size();
      controller.answerPolls(unchanged());
      await().until(() -> controller.polls().size() > before);
      assertThat(lastPoll().getAppliedPlanId())
          .as("a second before the wait after failure %d ends", failures)
          .isEqualTo("p1");

      clock.advance(FailedPlanRetry.longest(failures).minus(ceiling).plusSeconds(1));
      // The held poll ends (answered here, or at its deadline: the retry's time when it began);
      // the next one asks for the plan again.
      controller.answerPolls(unchanged());
      await().until(() -> lastPoll().getAppliedPlanId().isEmpty());
      int reports = controller.reports().size();
      controller.answerPolls(newPlan(failingPlan("p1")));
      await().until(() -> controller.reports().size() == reports + 1);
    }
    assertThat(reportedOutcomes()).hasSize(4).containsOnly(ApplyOutcome.APPLY_OUTCOME_FAILED);
    assertThat(FailedPlanRetry.ceiling(3)).isEqualTo(Duration.ofMinutes(20));
  }

  private PollRequest lastPoll() {
    List<PollRequest> polls = controller.polls();
    return polls.get(polls.size() - 1);
  }

  @Test
  void restart_appliedPlan_isPolledAsAppliedAndReconvergedFromDisk() throws Exception {
    controller.answerPolls(newPlan(plan("p1", file("hello.txt", "one\n"))));
    start(RECONVERGE);
    controller.awaitHeldPoll(2);
    stopAndJoin();
    Files.writeString(srv.resolve("hello.txt"), "edited\n");
    clock.advance(RECONVERGE);

    PollLoop restarted = newLoop(RECONVERGE);
    assertThat(restarted.lastReport().map(ApplyReport::getPlanId)).contains("p1");
    start(restarted);
    PollRequest first = controller.awaitHeldPoll(3);

    // The controller sent one plan only: the re-apply came from the persisted plan.
    assertThat(srv.resolve("hello.txt")).hasContent("one");
    assertThat(controller.calls())
        .containsExactly("poll ", "report p1", "poll p1", "report p1", "poll p1");
    assertThat(first.getAppliedPlanId()).isEqualTo("p1");
  }

  @Test
  void stop_duringApply_finishesTheCurrentResourceOnly_andRestartResumesThePlan() throws Exception {
    Path started = srv.resolve("started");
    Path go = srv.resolve("go");
    HostPlan plan =
        plan(
            "p1",
            command(
                "command:wait",
                "sh",
                "-c",
                "touch \"$0\"; while [ ! -e \"$1\" ]; do sleep 0.01; done",
                started.toString(),
                go.toString()),
            file("after.txt", "after"));
    controller.answerPolls(newPlan(plan));
    start(RECONVERGE);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> Files.exists(started));

    loop.stop();
    Files.createFile(go);
    thread.join(TimeUnit.SECONDS.toMillis(5));

    assertThat(thread.isAlive()).isFalse();
    assertThat(srv.resolve("after.txt")).doesNotExist();
    assertThat(controller.reports()).isEmpty();
    assertThat(new StateStore(dataDir).appliedPlanId()).isEmpty();

    start(RECONVERGE);
    controller.awaitHeldPoll(2);

    assertThat(srv.resolve("after.txt")).hasContent("after");
    assertThat(controller.calls()).containsExactly("poll ", "report p1", "poll p1");
  }

  @Test
  void stop_whilePollIsHeld_endsTheLoopPromptly() throws Exception {
    start(RECONVERGE);
    controller.awaitHeldPoll(1);

    Duration took = stopAndJoin();

    assertThat(took).isLessThan(Duration.ofSeconds(1));
    assertThat(controller.polls()).hasSize(1);
  }

  @Test
  void stop_duringBackoff_endsTheLoopPromptly() throws Exception {
    sleeper.blockUntilCancelled();
    controller.answerPolls(unavailable());
    start(RECONVERGE);
    assertThat(sleeper.awaitFirstWait()).isTrue();

    Duration took = stopAndJoin();

    assertThat(took).isLessThan(Duration.ofSeconds(1));
    assertThat(controller.polls()).hasSize(1);
  }
}
