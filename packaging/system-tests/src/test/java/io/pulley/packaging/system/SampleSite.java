package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.DebianRelease;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything around the sample application's deployment: a pristine server with the agent's package
 * enrolled for stacks, a controller on this machine, and the sample's Git repository served over
 * HTTP. Shared by the stack system test, its benchmark and the demo.
 */
final class SampleSite implements AutoCloseable {
  static final String HOST = "web-1";

  private final PristineServer server;
  private final HostController controller;
  private final SampleRepository repository;
  private final Invitation invitation;

  private SampleSite(
      PristineServer server,
      HostController controller,
      SampleRepository repository,
      Invitation invitation) {
    this.server = server;
    this.controller = controller;
    this.repository = repository;
    this.invitation = invitation;
  }

  /** {@link #start(Path, String, DebianRelease)} on Debian 13, the current stable. */
  static SampleSite start(Path work, String serverSuffix) throws Exception {
    return start(work, serverSuffix, DebianRelease.TRIXIE);
  }

  /** Boots the server, starts the controller, serves the sample, installs and enrols the agent. */
  static SampleSite start(Path work, String serverSuffix, DebianRelease release) throws Exception {
    return start(work, serverSuffix, release, Artifacts.sampleApplication());
  }

  /** As above, the repository seeded from {@code seed} (a tree under samples/). */
  static SampleSite start(Path work, String serverSuffix, DebianRelease release, Path seed)
      throws Exception {
    return start(work, serverSuffix, release, seed, List.of());
  }

  /** As above, the controller's JVM started with {@code controllerJvmOptions} too. */
  static SampleSite start(
      Path work,
      String serverSuffix,
      DebianRelease release,
      Path seed,
      List<String> controllerJvmOptions)
      throws Exception {
    PristineServer server = PristineServer.boot(DebianImage.of(release), serverSuffix);
    HostController controller = null;
    SampleRepository repository = null;
    try {
      controller =
          HostController.start(TestNetwork.HOST_ADDRESS, work, List.of(), controllerJvmOptions);
      repository = SampleRepository.seededFrom(seed, work.resolve("git"), TestNetwork.HOST_ADDRESS);
      ExecResult install = AgentOnServer.install(server, Artifacts.agentDeb());
      install.orThrow();
      Invitation invitation = controller.invite("web");
      AgentOnServer.enrollForStacks(server, invitation, HOST, "web");
      return new SampleSite(server, controller, repository, invitation);
    } catch (Exception | Error e) {
      closeAll(repository, controller, server);
      throw e;
    }
  }

  PristineServer server() {
    return server;
  }

  /** The token the server enrolled with (used up: a token enrols one host). */
  Invitation invitation() {
    return invitation;
  }

  HostController controller() {
    return controller;
  }

  SampleRepository repository() {
    return repository;
  }

  /** A client for the site named {@code domain} on the server's port 80. */
  SiteClient site(String domain) {
    return new SiteClient(server.address(), 80, domain);
  }

  /** Applies {@code manifest}; returns the revision it created (or already had). */
  int apply(Path manifest) throws Exception {
    HostController.Cli apply = controller.pulley("apply", "-f", manifest.toString());
    if (apply.exitCode() != 0) {
      throw new IllegalStateException("pulley apply failed: " + apply);
    }
    return revisionIn(apply.out());
  }

  /** Runs `pulley rollback APP ENV REVISION`; returns the revision it created. */
  int rollback(String application, String environment, int to) throws Exception {
    return revisionIn(rollbackSaying(application, environment, to));
  }

  /** {@code pulley rollback}'s output: the new revision, then its notes. */
  String rollbackSaying(String application, String environment, int to) throws Exception {
    HostController.Cli rollback =
        controller.pulley("rollback", application, environment, Integer.toString(to));
    if (rollback.exitCode() != 0) {
      throw new IllegalStateException("pulley rollback failed: " + rollback);
    }
    return rollback.out();
  }

  StatusReport status() throws Exception {
    return StatusReport.parse(controller.pulley("status", HOST).out());
  }

  /**
   * Waits for a report of an apply that includes {@code revision} of {@code appEnv} (such as
   * "shop/production") and is newer than the report whose "last apply" line was {@code before}.
   */
  StatusReport awaitApplyOf(String appEnv, int revision, String before, Duration atMost)
      throws Exception {
    // A plain loop, not Awaitility: the demo and the benchmark run without test libraries.
    String label = appEnv + "#" + revision;
    Instant deadline = Instant.now().plus(atMost);
    StatusReport report = status();
    while (report.lastApply().equals(before) || !report.lastApply().contains(label)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "no apply of " + label + " reported within " + atMost + "; last:\n" + report.text());
      }
      Thread.sleep(1000);
      report = status();
    }
    return report;
  }

  /** One SQL statement through psql as the postgres user; its unaligned output. */
  String psql(String database, String sql) {
    return server
        .execOrThrow("runuser", "-u", "postgres", "--", "psql", "-XAt", "-d", database, "-c", sql)
        .stdout();
  }

  /** The active units matching the glob {@code pattern}, such as "shop-*", sorted. */
  List<String> runningUnits(String pattern) {
    String out =
        server
            .execOrThrow(
                "systemctl", "list-units", "--plain", "--no-legend", "--state=active", pattern)
            .stdout();
    return new java.util.ArrayList<>(
        out.lines()
            .map(l -> l.strip().split("\\s+")[0])
            .filter(u -> !u.isEmpty())
            .sorted()
            .toList());
  }

  /** Main PIDs of {@code units}: a restart changes them. */
  Map<String, String> mainPids(List<String> units) {
    Map<String, String> pids = new TreeMap<>();
    for (String unit : units) {
      pids.put(
          unit,
          server
              .execOrThrow("systemctl", "show", "--property=MainPID", "--value", unit)
              .stdout()
              .strip());
    }
    return pids;
  }

  /** The revision named on the CLI's result line (the diff printed before it names others). */
  static int revisionIn(String cliOutput) {
    Matcher m =
        Pattern.compile("(?m)^(?:applied|unchanged|rolled back): .*?revision (\\d+)")
            .matcher(cliOutput);
    if (!m.find()) {
      throw new IllegalStateException("no revision in: " + cliOutput);
    }
    return Integer.parseInt(m.group(1));
  }

  @Override
  public void close() {
    closeAll(repository, controller, server);
  }

  /** Closes each part given (nulls skipped), going on past one that fails. */
  static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        // Teardown goes on: the harness sweeps what a failed close leaves behind.
      }
    }
  }
}
