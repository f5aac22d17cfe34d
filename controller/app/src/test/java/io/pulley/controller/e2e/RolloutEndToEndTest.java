package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout policy with a controller and two real agents, through the CLI: the canary first, the
 * other host after it; a release that fails on the canary halts the rollout and never reaches the
 * other host; the trail says what happened and who aborted.
 */
class RolloutEndToEndTest {
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  @TempDir Path temp;
  private LocalController controller;
  private Fleet fleet;
  private Cli cli;
  private Path srv;

  @BeforeEach
  void start() throws Exception {
    controller = LocalController.start(temp.resolve("controller"));
    cli = controller.cli();
    srv = Files.createDirectories(temp.resolve("srv"));
    fleet = new Fleet();
    for (String host : new String[] {"web-1", "web-2"}) {
      fleet.start(controller.address(), host, temp.resolve("agent-" + host), srv);
    }
    await()
        .atMost(DELIVERY)
        .until(() -> cli.run("hosts").out().lines().filter(l -> l.contains(" yes ")).count() == 2);
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    controller.close();
  }

  @Test
  void canaryThenTheRest_andABrokenReleaseHaltsOnTheCanary_leavingTheOtherHostAsItWas()
      throws Exception {
    assertThat(apply("v1", "/bin/true").exitCode()).isZero();
    awaitRollout("succeeded");
    Cli.Result status = cli.run("rollout", "status", "hello", "test");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains("hello/test revision 1: succeeded")
        .containsPattern("(?m)^canary +web-1 +live")
        .containsPattern("(?m)^2 +web-2 +live");

    assertThat(apply("v2", "/bin/false").exitCode()).isZero();
    awaitRollout("halted");
    Cli.Result halted = cli.run("rollout", "status", "hello", "test");
    assertThat(halted.exitCode()).isEqualTo(1);
    assertThat(halted.out())
        .contains("hello/test revision 2: halted — host web-1 failed: check:")
        .containsPattern("(?m)^canary +web-1 +failed \\(on #1\\)")
        .containsPattern("(?m)^2 +web-2 +waiting \\(on #1\\)");
    assertThat(cli.run("status", "web-2").out()).contains("hello/test#1");
    assertThat(cli.run("history", "hello", "test").out())
        .containsPattern("(?m)^2 .* failed \\(halted\\) +apply ")
        .containsPattern("(?m)^1 .* succeeded +apply ");

    Cli.Result abort = cli.run("rollout", "abort", "hello", "test");
    assertThat(abort.exitCode()).as(abort.toString()).isZero();
    assertThat(abort.out()).contains("revision 2: aborted");
    Cli.Result again = cli.run("rollout", "pause", "hello", "test");
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err()).contains("the rollout of revision 2 has ended (aborted)");

    Cli.Result history = cli.run("history", "hello", "test");
    assertThat(history.out())
        .containsPattern("(?m)^2 .* aborted +apply ")
        .contains("revision 2 stored: manifest applied")
        .contains("rollout of revision 2 started: batches of 1, 1 hosts; web-1 first")
        .contains("host web-1 failed revision 2: check:")
        .contains("rollout of revision 2 halted")
        .containsPattern("aborted the rollout of revision 2; every host gets its previous");
    assertThat(history.out()).doesNotContain("host web-2 deploys revision 2");
  }

  private Cli.Result apply(String release, String check) throws Exception {
    Path app = srv.resolve("hello");
    Path manifest = temp.resolve("hello.yaml");
    Files.writeString(
        manifest,
        """
        application: hello
        environment: test
        hosts: {labels: {role: web}}
        rollout: {canary: 1, batch: "1"}
        resources:
          - directory: {path: %1$s}
          - file: {path: %1$s/release.txt, content: "%2$s"}
          - id: check
            command: {argv: [%3$s]}
        """
            .formatted(app, release, check));
    return cli.run("apply", "-f", manifest.toString());
  }

  private void awaitRollout(String status) {
    await()
        .atMost(DELIVERY)
        .until(() -> cli.run("rollout", "status", "hello", "test").out().contains(": " + status));
  }
}
