package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.testing.ControllerProcess;
import io.pulley.testing.ControllerProcess.Launch;
import io.pulley.testing.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real controller process between applies: every acknowledged revision is there after
 * the restart, and the agent reconnects and converges by itself.
 */
class ControllerCrashTest {
  private static final Launch SERVE =
      Launch.classPath("io.pulley.controller.app.PulleyControllerMain");

  @TempDir Path temp;

  @Test
  void sigkill_losesNoAcknowledgedRevision_andTheAgentReconnectsByItself() throws Exception {
    Path dataDir = temp.resolve("controller");
    Path log = temp.resolve("controller.log");
    Path srv = Files.createDirectories(temp.resolve("srv"));
    try (TestRepository repository = TestRepository.create(temp.resolve("repo"));
        Fleet fleet = new Fleet()) {
      ControllerProcess first = ControllerProcess.start(SERVE, dataDir, 0, log);
      int port = first.port();
      Cli cli = new Cli(first.address());
      fleet.start(first.address(), "web-1", temp.resolve("agent"), srv);

      List<String> acknowledged = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        Cli.Result apply = apply(cli, srv, repository, "greeting " + i);
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        acknowledged.add(apply.out());
      }
      assertThat(first.kill()).isEqualTo(137);

      try (ControllerProcess second = ControllerProcess.start(SERVE, dataDir, port, log)) {
        assertThat(second.port()).isEqualTo(port);
        Cli.Result history = cli.run("history", "hello", "test");
        assertThat(history.out()).containsPattern("(?m)^5 ").containsPattern("(?m)^1 ");
        for (String ack : acknowledged) {
          String hash = ack.replaceAll("(?s).*content ([0-9a-f]{12}).*", "$1");
          assertThat(history.out()).contains(hash);
        }
        awaitGreeting(cli, srv, "greeting 5");

        assertThat(apply(cli, srv, repository, "greeting 6").exitCode()).isZero();
        awaitGreeting(cli, srv, "greeting 6");
      }
    }
  }

  private static Cli.Result apply(Cli cli, Path srv, TestRepository repository, String greeting)
      throws Exception {
    Path manifest = srv.resolveSibling("hello.yaml");
    Files.writeString(manifest, HelloManifest.yaml("hello", srv, repository.url(), greeting));
    return cli.run("apply", "-f", manifest.toString());
  }

  private static void awaitGreeting(Cli cli, Path srv, String greeting) {
    Path file = srv.resolve("hello/greeting.txt");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Files.exists(file)
                    && Files.readString(file).equals(greeting)
                    && cli.run("status", "web-1").exitCode() == 0);
  }
}
