package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command run once in the environment, ever, with a controller and real agents: the rollout's
 * first host runs it, its report is recorded, and neither the next revision nor a server added
 * later runs it again. The command leaves one new file per run, so the runs can be counted.
 */
class OnceInEnvironmentEndToEndTest {
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  @TempDir Path temp;
  private LocalController controller;
  private Fleet fleet;
  private Cli cli;
  private Path srv;
  private Path runs;

  @BeforeEach
  void start() throws Exception {
    controller = LocalController.start(temp.resolve("controller"));
    cli = controller.cli();
    srv = Files.createDirectories(temp.resolve("srv"));
    runs = Files.createDirectories(srv.resolve("runs"));
    fleet = new Fleet();
    for (String host : new String[] {"web-1", "web-2"}) {
      startAgent(host);
    }
    await().atMost(DELIVERY).until(() -> liveHosts() == 2);
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    controller.close();
  }

  @Test
  void itRunsOnce_thenNeitherTheNextRevisionNorANewServerRunsItAgain() throws Exception {
    assertThat(apply("v1").exitCode()).isZero();
    awaitRollout(1);
    assertThat(runCount()).isEqualTo(1);
    assertThat(cli.run("history", "hello", "test", "--events").out())
        .contains("command init-db done in hello/test on web-1 at revision 1");

    assertThat(apply("v2").exitCode()).isZero();
    awaitRollout(2);
    startAgent("web-3");
    await().atMost(DELIVERY).until(() -> cli.run("status", "web-3").out().contains("hello/test#2"));

    assertThat(runCount()).isEqualTo(1);
  }

  private void startAgent(String host) {
    fleet.start(controller.address(), host, temp.resolve("agent-" + host), srv);
  }

  private long liveHosts() throws Exception {
    return cli.run("hosts").out().lines().filter(l -> l.contains(" yes ")).count();
  }

  private Cli.Result apply(String release) throws Exception {
    Path manifest = temp.resolve("hello.yaml");
    Files.writeString(
        manifest,
        """
        application: hello
        environment: test
        hosts: {labels: {role: web}}
        rollout: {canary: 1, batch: "1"}
        resources:
          - file: {path: %1$s/release.txt, content: "%2$s"}
          - id: command:init-db
            command: {argv: [/usr/bin/mktemp, -p, %3$s, run.XXXXXX], once_ever_in_environment: true}
        """
            .formatted(srv, release, runs));
    return cli.run("apply", "-f", manifest.toString());
  }

  private void awaitRollout(long revision) {
    await()
        .atMost(DELIVERY)
        .until(
            () ->
                cli.run("rollout", "status", "hello", "test")
                    .out()
                    .contains("revision " + revision + ": succeeded"));
  }

  private long runCount() throws IOException {
    try (Stream<Path> files = Files.list(runs)) {
      return files.count();
    }
  }
}
