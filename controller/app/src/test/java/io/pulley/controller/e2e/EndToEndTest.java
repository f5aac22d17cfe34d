package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.agent.Agent;
import io.pulley.testing.TestRepository;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller and a real agent in one JVM over localhost gRPC, driven through the real CLI: what a
 * newcomer does with the example manifest, and what must hold while doing it.
 */
class EndToEndTest {
  /** Far shorter than the poll hold: a plan that arrives in time was pushed, not re-polled. */
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  @TempDir Path temp;
  private LocalController controller;
  private Fleet fleet;
  private Cli cli;
  private TestRepository repository;
  private Path srv;

  @BeforeEach
  void start() throws Exception {
    controller = LocalController.start(temp.resolve("controller"));
    cli = controller.cli();
    repository = TestRepository.create(temp.resolve("repo"));
    srv = Files.createDirectories(temp.resolve("srv"));
    fleet = new Fleet();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    controller.close();
    repository.close();
  }

  @Test
  void apply_reachesTheWaitingAgent_isAppliedForReal_andStatusShowsEveryResourceOk()
      throws Exception {
    Agent agent = startAgent("web-1");
    awaitHeldPoll("web-1");

    Cli.Result apply = apply("hello", "Hello v1");

    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    assertThat(apply.out()).contains("applied: hello/test revision 1");
    awaitConverged("web-1", 1);
    Path app = srv.resolve("hello");
    assertThat(Files.readString(app.resolve("greeting.txt"))).isEqualTo("Hello v1");
    assertThat(Files.readSymbolicLink(app.resolve("app/current")).toString())
        .endsWith(headCommit());
    assertThat(app.resolve("app/current/README")).hasContent("first\n");
    assertThat(app.resolve(".installed")).exists();
    assertThat(agent.lastReport().orElseThrow().getResultsList())
        .extracting(ResourceResult::getOutcome)
        .containsOnly(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);

    Cli.Result status = cli.run("status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out()).contains("web-1", "healthy", "hello/test#1", "yes", "4/4 ok");
    Cli.Result detail = cli.run("status", "web-1");
    assertThat(detail.out())
        .contains("file:" + app.resolve("greeting.txt"), "git_release:" + app.resolve("app"))
        .contains("mark-installed");
  }

  @Test
  void changedManifest_becomesANewRevision_andRollbackRestoresTheOldContentAndCommit()
      throws Exception {
    startAgent("web-1");
    String firstCommit = headCommit();
    assertThat(apply("hello", "Hello v1").exitCode()).isZero();
    awaitConverged("web-1", 1);

    RevCommit second = repository.commit("README", "second\n");
    Cli.Result apply = apply("hello", "Hello v2");
    assertThat(apply.out()).contains("revision 2").contains("+    content: \"Hello v2\"");
    awaitConverged("web-1", 2);
    Path app = srv.resolve("hello");
    assertThat(app.resolve("greeting.txt")).hasContent("Hello v2");
    assertThat(Files.readSymbolicLink(app.resolve("app/current")).toString())
        .endsWith(second.name());
    assertThat(app.resolve("app/releases/" + firstCommit)).isDirectory();

    Cli.Result rollback = cli.run("rollback", "hello", "test", "1");
    assertThat(rollback.out()).as(rollback.toString()).contains("revision 3 restores revision 1");
    awaitConverged("web-1", 3);
    assertThat(app.resolve("greeting.txt")).hasContent("Hello v1");
    // Revision 1 pinned the commit that "main" had then, though "main" has moved since.
    assertThat(Files.readSymbolicLink(app.resolve("app/current")).toString()).endsWith(firstCommit);

    Cli.Result history = cli.run("history", "hello", "test");
    assertThat(history.out()).contains("rollback to #1").containsPattern("(?m)^1 .*apply");
  }

  @Test
  void resourcesThatAlreadyMatch_areReportedUnchanged_whenTheHostsPlanChanges() throws Exception {
    Agent agent = startAgent("web-1");
    apply("hello", "Hello v1");
    awaitConverged("web-1", 1);

    assertThat(apply("other", "Other").exitCode()).isZero();
    await()
        .atMost(DELIVERY)
        .until(() -> agent.lastReport().map(r -> r.getRevisionsCount() == 2).orElse(false));

    ApplyReport report = agent.lastReport().orElseThrow();
    assertThat(report.getResultsList())
        .filteredOn(r -> r.getApplication().equals("hello"))
        .hasSize(4)
        .extracting(ResourceResult::getOutcome)
        .containsOnly(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(report.getResultsList())
        .filteredOn(r -> r.getApplication().equals("other"))
        .extracting(ResourceResult::getOutcome)
        .containsOnly(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
  }

  @Test
  void planAndHosts_showWhatTheControllerKnows() throws Exception {
    startAgent("web-1");
    apply("hello", "Hello v1");
    awaitConverged("web-1", 1);

    Cli.Result plan = cli.run("plan", "web-1");
    assertThat(plan.out()).contains("hello/test revision 1", "= " + headCommit());
    Cli.Result hosts = cli.run("hosts");
    assertThat(hosts.out()).contains("web-1", "role=web");
    Cli.Result json = cli.run("-o", "json", "hosts");
    assertThat(json.out()).contains("\"hostId\": \"web-1\"", "\"cpuCount\"");
    Cli.Result unknown = cli.run("plan", "web-9");
    assertThat(unknown.exitCode()).isEqualTo(4);
    assertThat(unknown.err()).contains("no host \"web-9\"");
  }

  private Agent startAgent(String hostId) {
    return fleet.start(controller.address(), hostId, temp.resolve("agent-" + hostId), srv);
  }

  private Cli.Result apply(String application, String greeting) throws Exception {
    Path manifest = temp.resolve(application + ".yaml");
    Files.writeString(manifest, HelloManifest.yaml(application, srv, repository.url(), greeting));
    return cli.run("apply", "-f", manifest.toString());
  }

  private void awaitHeldPoll(String hostId) {
    await()
        .atMost(DELIVERY)
        .until(() -> cli.run("-o", "json", "hosts").out().contains("\"connected\": true"));
  }

  private void awaitConverged(String hostId, long revision) {
    await()
        .atMost(DELIVERY)
        .until(
            () -> {
              Cli.Result status = cli.run("status", hostId);
              return status.exitCode() == 0 && status.out().contains("#" + revision);
            });
  }

  private String headCommit() throws Exception {
    try (org.eclipse.jgit.api.Git git =
        org.eclipse.jgit.api.Git.open(temp.resolve("repo").toFile())) {
      return git.getRepository().resolve("HEAD").name();
    }
  }
}
