package io.pulley.controller.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.PollStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PollHubTest {
  private final Map<String, String> planIds = new ConcurrentHashMap<>();
  private final ManualTimer timer = new ManualTimer();
  private PollHub hub;
  private ControllerMetrics metrics;

  @BeforeEach
  void setUp() {
    metrics = ControllerMetrics.discarding();
    hub =
        new PollHub(
            host ->
                HostPlan.newBuilder()
                    .setHostId(host)
                    .setPlanId(planIds.getOrDefault(host, "p0"))
                    .build(),
            new HostRegistry(new InMemoryStore(), Clock.systemUTC()),
            timer,
            Runnable::run,
            new PollHub.HoldTime(Duration.ofSeconds(60), Duration.ofSeconds(10), new Random(1)),
            metrics);
  }

  @AfterEach
  void tearDown() {
    timer.shutdownNow();
  }

  @Test
  void poll_withOldPlan_isAnsweredAtOnceWithTheNewPlan() {
    planIds.put("web-1", "p1");
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0"), agent);
    assertThat(agent.responses).hasSize(1);
    assertThat(agent.responses.get(0).getStatus()).isEqualTo(PollStatus.POLL_STATUS_NEW_PLAN);
    assertThat(agent.responses.get(0).getPlan().getPlanId()).isEqualTo("p1");
    assertThat(hub.isHeld("web-1")).isFalse();
  }

  @Test
  void poll_withCurrentPlan_isHeldUntilThePlanChanges() {
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0"), agent);
    assertThat(agent.responses).isEmpty();
    assertThat(hub.isHeld("web-1")).isTrue();
    assertThat(hub.heldCount()).isEqualTo(1);

    planIds.put("web-1", "p1");
    hub.plansChanged();

    assertThat(agent.responses)
        .singleElement()
        .extracting(r -> r.getPlan().getPlanId())
        .isEqualTo("p1");
    assertThat(hub.isHeld("web-1")).isFalse();
  }

  @Test
  void cutOff_endsTheHeldPollWithARefusal_andOnlyThatHostsPoll() {
    Recorder revoked = new Recorder();
    Recorder other = new Recorder();
    hub.poll(request("web-1", "p0"), revoked);
    hub.poll(request("web-2", "p0"), other);

    hub.cutOff("web-1", "host web-1 is revoked");

    assertThat(revoked.refusals).containsExactly("host web-1 is revoked");
    assertThat(revoked.responses).isEmpty();
    assertThat(hub.isHeld("web-1")).isFalse();
    assertThat(hub.isHeld("web-2")).isTrue();
  }

  @Test
  void plansChanged_leavesHostsWhosePlanIsTheSameHeld() {
    Recorder web1 = new Recorder();
    Recorder web2 = new Recorder();
    hub.poll(request("web-1", "p0"), web1);
    hub.poll(request("web-2", "p0"), web2);

    planIds.put("web-2", "p2");
    hub.plansChanged();

    assertThat(web1.responses).isEmpty();
    assertThat(web2.responses).hasSize(1);
    assertThat(hub.heldCount()).isEqualTo(1);
  }

  @Test
  void pollWithNoHold_isAnsweredUnchangedAtOnce() {
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0").toBuilder().setNoHold(true).build(), agent);
    assertThat(agent.responses)
        .singleElement()
        .extracting(PollResponse::getStatus)
        .isEqualTo(PollStatus.POLL_STATUS_UNCHANGED);
    assertThat(hub.isHeld("web-1")).isFalse();
  }

  @Test
  void heldPoll_isAnsweredUnchangedWhenItsHoldRunsOut() {
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0"), agent);

    assertThat(timer.scheduledDelay()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(70));
    timer.fireAll();

    assertThat(agent.responses)
        .singleElement()
        .extracting(PollResponse::getStatus)
        .isEqualTo(PollStatus.POLL_STATUS_UNCHANGED);
    assertThat(hub.isHeld("web-1")).isFalse();
  }

  @Test
  void heldPoll_ofAnAgentThatAsksForAHold_isHeldUpToThatLong_neverLonger() {
    hub.poll(request("web-1", "p0").toBuilder().setHoldSeconds(240).build(), new Recorder());

    assertThat(timer.scheduledDelay()).isBetween(Duration.ofSeconds(210), Duration.ofSeconds(240));
  }

  @Test
  void askedHold_longerThanTheWireAllows_isCut() {
    hub.poll(request("web-1", "p0").toBuilder().setHoldSeconds(86_400).build(), new Recorder());

    assertThat(timer.scheduledDelay()).isBetween(Duration.ofSeconds(525), Duration.ofSeconds(600));
  }

  @Test
  void heldPoll_isAnsweredOnlyOnce_whenTimeoutAndChangeRace() {
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0"), agent);
    planIds.put("web-1", "p1");
    hub.plansChanged();
    timer.fireAll();
    assertThat(agent.responses).hasSize(1);
  }

  @Test
  void newerPollFromTheSameHost_answersTheOlderOneUnchanged() {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    hub.poll(request("web-1", "p0"), first);
    hub.poll(request("web-1", "p0"), second);

    assertThat(first.responses)
        .singleElement()
        .extracting(PollResponse::getStatus)
        .isEqualTo(PollStatus.POLL_STATUS_UNCHANGED);
    assertThat(second.responses).isEmpty();
    assertThat(hub.heldCount()).isEqualTo(1);
  }

  @Test
  void cancelledPoll_isForgottenAndNeverAnswered() {
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0"), agent);
    agent.cancel();

    assertThat(hub.isHeld("web-1")).isFalse();
    planIds.put("web-1", "p1");
    hub.plansChanged();
    timer.fireAll();
    assertThat(agent.responses).isEmpty();
  }

  @Test
  void close_answersEveryHeldPollUnchanged() {
    Recorder agent = new Recorder();
    hub.poll(request("web-1", "p0"), agent);
    hub.close();
    assertThat(agent.responses)
        .singleElement()
        .extracting(PollResponse::getStatus)
        .isEqualTo(PollStatus.POLL_STATUS_UNCHANGED);
  }

  @Test
  void holdTime_staysWithinItsJitter() {
    PollHub.HoldTime hold =
        new PollHub.HoldTime(Duration.ofSeconds(60), Duration.ofSeconds(10), new Random(7));
    List<Duration> holds = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      holds.add(hold.next());
    }
    assertThat(holds)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(70)));
    assertThat(holds.stream().distinct().count()).isGreaterThan(100);
  }

  @Test
  void askedHoldTime_isJitteredDownOnly() {
    PollHub.HoldTime hold =
        new PollHub.HoldTime(Duration.ofSeconds(60), Duration.ofSeconds(10), new Random(7));
    List<Duration> holds = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      holds.add(hold.asked(240));
    }
    assertThat(holds)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(210), Duration.ofSeconds(240)));
    assertThat(holds.stream().distinct().count()).isGreaterThan(100);
  }

  @Test
  void holdTime_rejectsJitterAsLongAsTheHold() {
    assertThatThrownBy(
            () -> new PollHub.HoldTime(Duration.ofSeconds(5), Duration.ofSeconds(5), new Random()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT5S");
  }

  private static PollRequest request(String host, String appliedPlanId) {
    return PollRequest.newBuilder().setHostId(host).setAppliedPlanId(appliedPlanId).build();
  }

  /** Records answers; can simulate the client cancelling. */
  private static final class Recorder implements PollResponder {
    final List<PollResponse> responses = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    private Runnable onCancel = () -> {};

    @Override
    public synchronized void refuse(String reason) {
      refusals.add(reason);
    }

    @Override
    public synchronized void respond(PollResponse response) {
      responses.add(response);
    }

    @Override
    public void onCancel(Runnable action) {
      onCancel = action;
    }

    void cancel() {
      onCancel.run();
    }
  }

  /** A scheduler whose tasks run only when the test says so: no test waits for a real minute. */
  private static final class ManualTimer extends java.util.concurrent.ScheduledThreadPoolExecutor {
    private final List<Runnable> tasks = new ArrayList<>();
    private long lastDelayMillis = -1;

    ManualTimer() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      tasks.add(command);
      lastDelayMillis = unit.toMillis(delay);
      // A real future that never fires by itself, so cancel() works as in production.
      return super.schedule(() -> {}, 1, TimeUnit.DAYS);
    }

    Duration scheduledDelay() {
      return Duration.ofMillis(lastDelayMillis);
    }

    void fireAll() {
      List<Runnable> due = new ArrayList<>(tasks);
      tasks.clear();
      due.forEach(Runnable::run);
    }
  }
}
