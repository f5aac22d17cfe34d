package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The idle footprint of both daemons as installed from their .deb packages
 * (`packaging/bench/footprint.sh`): one pristine Debian 12 or 13 server with the controller and the
 * agent enrolled with it, one real apply, then Pulley's agent beside Puppet's agent daemon over the
 * same window after another real apply (with the threads that woke), then each JVM configuration
 * measured in turn by restarting the service with a drop-in. Prints Markdown tables for
 * docs/benchmarks.md.
 */
public final class FootprintBenchmark {
  /** Where a package would keep a generated archive: a cache, rebuilt when it goes stale. */
  static final String ARCHIVE = "/var/cache/pulley/agent.jsa";

  private static final String HOST_ID = "footprint";
  private static final String MANIFEST = "/var/tmp/hello.yaml";
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final int APPLY_ATTEMPTS = 3;

  /** The CLI's last line, after a diff against the previous revision. */
  private static final Pattern STORED =
      Pattern.compile("(?m)^(?:applied|unchanged):.*revision (\\d+)");

  private final PristineServer server;
  private final Path work;
  private final SampleRepository repository;
  private static final String AGENT_UNIT = "pulley-agent";

  private final Duration settle;
  private final Duration idle;
  private final boolean sideBySideOnly;
  private final List<Row> rows = new ArrayList<>();

  private FootprintBenchmark(
      PristineServer server,
      Path work,
      SampleRepository repository,
      Duration settle,
      Duration idle,
      boolean sideBySideOnly) {
    this.server = server;
    this.work = work;
    this.repository = repository;
    this.settle = settle;
    this.idle = idle;
    this.sideBySideOnly = sideBySideOnly;
  }

  public static void main(String[] args) throws Exception {
    // Past the minute after an apply in which the agent lets the apply's classes go.
    Duration settle = Duration.ofSeconds(90);
    Duration idle = Duration.ofSeconds(120);
    DebianImage image = DebianImage.bookworm();
    boolean sideBySideOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--settle" -> settle = seconds(args, ++i);
        case "--idle" -> idle = seconds(args, ++i);
        case "--debian" -> image = debian(args, ++i);
        case "--side-by-side-only" -> sideBySideOnly = true;
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; usage: [--debian 12|13] [--settle SECONDS] [--idle SECONDS]"
                    + " [--side-by-side-only]");
      }
    }
    Path work = Files.createTempDirectory("pulley-footprint-");
    say("A pristine Debian " + image.release().version() + " server");
    try (PristineServer server = PristineServer.boot(image, "footprint");
        SampleRepository repository =
            SampleRepository.create(work.resolve("git"), TestNetwork.HOST_ADDRESS)) {
      new FootprintBenchmark(server, work, repository, settle, idle, sideBySideOnly).run();
    }
  }

  private static DebianImage debian(String[] args, int i) {
    String release = i < args.length ? args[i] : "nothing";
    return switch (release) {
      case "12" -> DebianImage.bookworm();
      case "13" -> DebianImage.trixie();
      default -> throw new IllegalArgumentException("--debian needs 12 or 13, got " + release);
    };
  }

  private void run() throws Exception {
    installBothPackages();
    describeMachine();
    applyHello("Hello");
    InstalledService agent = InstalledService.agent(server);
    InstalledService controller = InstalledService.controller(server);
    // The run that enrolled has its class archive made anew by the next run (ClassArchive): one
    // restart here, so that the measured agent maps the archive a server has from then on.
    say("Restarting the agent once since its enrolment");
    agent.restartWith(Optional.empty());

    sideBySide(agent);
    String reactions = reactions();
    if (sideBySideOnly) {
      say("Results (settle " + settle.toSeconds() + " s, idle window " + idle.toSeconds() + " s)");
      System.out.print(table());
      System.out.println(reactions);
      return;
    }
    List<String> shipped = measure(agent, "agent: unit's flags (as shipped)", Optional.empty());
    measure(
        agent,
        "agent: shipped, JVM timers on (the flags before issue 19)",
        Optional.of(
            without(
                shipped,
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:GuaranteedSafepointInterval=0",
                "-XX:AsyncDeflationInterval=0")));
    measure(
        agent, "agent: shipped, PerfData on", Optional.of(without(shipped, "-XX:-UsePerfData")));
    measure(
        agent,
        "agent: shipped, with C1 instead of -Xint (the flags before round five)",
        Optional.of(without(shipped, "-Xint") + " -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"));
    measure(agent, "agent: JDK defaults (no flags)", Optional.of(""));
    trainArchive(agent, shipped);
    measure(
        agent,
        "agent: shipped + AppCDS archive",
        Optional.of(with(shipped, "-XX:SharedArchiveFile=" + ARCHIVE)));
    measure(controller, "controller: unit's flags (as shipped)", Optional.empty());
    measure(controller, "controller: JDK defaults (no flags)", Optional.of(""));

    say("Results (settle " + settle.toSeconds() + " s, idle window " + idle.toSeconds() + " s)");
    System.out.print(table());
  }

  private void installBothPackages() throws InterruptedException {
    say("apt-get install ./" + Artifacts.controllerDeb().getFileName());
    String deb = "/var/tmp/" + Artifacts.controllerDeb().getFileName();
    server.copyIn(Artifacts.controllerDeb(), deb);
    server.aptGet(PristineServer.DEFAULT_EXEC_TIMEOUT, "install", "-y", deb).orThrow();
    PackagedController.login(server);
    await("the controller answers", () -> server.exec("pulley", "hosts").ok());
    say("apt-get install ./" + Artifacts.agentDeb().getFileName() + ", enrolled at 127.0.0.1");
    AgentOnServer.install(server, Artifacts.agentDeb()).orThrow();
    AgentOnServer.enroll(server, PackagedController.invite(server, "web"), HOST_ID, "web");
    await("the agent enrols", () -> server.exec("pulley", "hosts").stdout().contains(HOST_ID));
  }

  private void describeMachine() {
    say("Machine");
    System.out.println(server.execOrThrow("nproc").stdout().strip() + " vCPUs");
    System.out.println(
        server.execOrThrow("grep", "-m1", "model name", "/proc/cpuinfo").stdout().strip());
    System.out.println(server.execOrThrow("grep", "MemTotal", "/proc/meminfo").stdout().strip());
    System.out.println("Linux " + server.execOrThrow("uname", "-r").stdout().strip());
    ExecResult java = server.execOrThrow("java", "-version");
    System.out.print(java.stderr());
    System.out.print(
        server.execOrThrow("dpkg-query", "-W", "pulley-agent", "pulley-controller").stdout());
  }

  /**
   * Applies the example manifest with the CLI inside the server and waits until the agent has
   * applied it. A fetch from this machine's Git server now and then fails with "connection failed";
   * the agent retries only on a new plan, so a failed attempt is retried with new content.
   */
  private void applyHello(String greeting) throws Exception {
    for (int attempt = 1; attempt <= APPLY_ATTEMPTS; attempt++) {
      String content = attempt == 1 ? greeting : greeting + " (attempt " + attempt + ")";
      say("pulley apply -f hello.yaml on the server: greeting \"" + content + "\"");
      server.copyIn(HelloManifest.write(work, repository.url(), content), MANIFEST);
      ExecResult apply = pulleyApply();
      System.out.print(apply.stdout());
      Matcher stored = STORED.matcher(apply.stdout());
      if (!stored.find()) {
        throw new IllegalStateException("no revision in the CLI's answer: " + apply.describe());
      }
      String revision = "#" + stored.group(1);
      try {
        await(
            "the agent reports " + revision,
            () -> server.exec("pulley", "status", HOST_ID).stdout().contains(revision));
      } catch (IllegalStateException e) {
        // The agent's journal says why it did not: the server is removed with it.
        throw new IllegalStateException(
            e.getMessage()
                + "; the agent's journal:\n"
                + InstalledService.agent(server).journalTail(),
            e);
      }
      ExecResult status = server.exec("pulley", "status", HOST_ID);
      System.out.print(status.stdout());
      if (status.ok()) {
        return;
      }
      System.out.println("(the apply failed; trying again with new content)");
    }
    throw new IllegalStateException("the agent failed " + APPLY_ATTEMPTS + " applies in a row");
  }

  /** The controller resolves the Git ref while validating, so the same failure can reject it. */
  private ExecResult pulleyApply() throws InterruptedException {
    ExecResult apply = server.exec("pulley", "apply", "-f", MANIFEST);
    for (int retry = 1; !apply.ok() && retry < APPLY_ATTEMPTS; retry++) {
      System.out.println("(rejected, trying again: " + apply.stderr().strip() + ")");
      Thread.sleep(2000);
      apply = server.exec("pulley", "apply", "-f", MANIFEST);
    }
    return apply.orThrow();
  }

  /** Restarts {@code service} with {@code javaOpts}, measures it, and returns its JVM flags. */
  private List<String> measure(InstalledService service, String name, Optional<String> javaOpts)
      throws InterruptedException {
    say(name);
    long pid = service.restartWith(javaOpts);
    List<String> flags = service.jvmFlags(pid);
    System.out.println("flags: " + (flags.isEmpty() ? "(none)" : String.join(" ", flags)));
    InstalledService.Measurement measured = service.measure(pid, settle, idle);
    String note = "";
    if (flags.stream().anyMatch(f -> f.startsWith("-XX:SharedArchiveFile="))) {
      note = service.maps(pid, ARCHIVE) ? "archive mapped" : "ARCHIVE NOT MAPPED";
      System.out.println(note);
    }
    Row row = new Row(name, flags, measured, note);
    System.out.println(row.markdown());
    rows.add(row);
    return flags;
  }

  /**
   * Pulley's agent as shipped beside Puppet's agent daemon: Puppet installed and started, Pulley's
   * agent restarted and given a new release to apply, then both sampled over the same window, with
   * the threads of each that used CPU or woke up.
   */
  private void sideBySide(InstalledService agent) throws Exception {
    say("Side by side with Puppet's agent");
    PuppetAgent puppet = PuppetAgent.install(server);
    System.out.println(puppet.describe());
    InstalledService puppetService = InstalledService.sampledOnly(server, PuppetAgent.UNIT);
    long agentPid = agent.restartWith(Optional.empty());
    repository.release("side-by-side");
    applyHello("Side by side");
    Thread.sleep(settle.toMillis());
    long puppetPid = puppet.mainPid();
    InstalledService.Sample agentStart = agent.sample(agentPid);
    InstalledService.Sample puppetStart = puppetService.sample(puppetPid);
    ThreadCpu agentThreads = ThreadCpu.read(server, agentPid);
    ThreadCpu puppetThreads = ThreadCpu.read(server, puppetPid);
    // What the agent logged in the window says why a thread woke more than its polls explain.
    String windowStart = server.journalCursor(AGENT_UNIT);
    Thread.sleep(idle.toMillis());
    InstalledService.Sample agentEnd = agent.sample(agentPid);
    InstalledService.Sample puppetEnd = puppetService.sample(puppetPid);
    List<ThreadCpu.Row> agentRows = agentThreads.until(ThreadCpu.read(server, agentPid));
    List<ThreadCpu.Row> puppetRows = puppetThreads.until(ThreadCpu.read(server, puppetPid));
    if (agent.mainPid() != agentPid || puppet.mainPid() != puppetPid) {
      throw new IllegalStateException("a daemon restarted while measured");
    }
    rows.add(
        new Row(
            "side by side: Pulley agent as shipped, after an apply",
            agent.jvmFlags(agentPid),
            measurement(agentStart, agentEnd),
            "start-up CPU includes the apply"));
    rows.add(
        new Row(
            "side by side: Puppet agent (" + puppet.describe() + ")",
            List.of(),
            measurement(puppetStart, puppetEnd),
            ""));
    System.out.println(rows.get(rows.size() - 2).markdown());
    System.out.println(rows.get(rows.size() - 1).markdown());
    System.out.println("\nPulley agent's threads over the window (" + idle.toSeconds() + " s):");
    System.out.print(ThreadCpu.table(agentRows, idle.toSeconds()));
    String logged = server.journalAfter(AGENT_UNIT, windowStart).strip();
    System.out.println(
        "\nPulley agent's journal over the window:\n" + (logged.isEmpty() ? "(nothing)" : logged));
    System.out.println("\nPuppet agent's threads over the same window:");
    System.out.print(ThreadCpu.table(puppetRows, idle.toSeconds()));
    System.out.println("\nPuppet's journal:\n" + puppet.journalTail());
  }

  /** After the idle window, so that it does not count: the sleeping agent's reaction times. */
  private String reactions() throws Exception {
    say("Reaction times of the agent at rest");
    ReactionTimes times = new ReactionTimes(server);
    List<Double> pickups = times.pickups(this::applyHello, 3);
    double noticed = times.killedControllerNoticed();
    double silent = times.silentControllerNoticed(PackagedController.PORT);
    String line = ReactionTimes.describe(pickups, noticed, silent);
    System.out.println(line);
    return line;
  }

  private InstalledService.Measurement measurement(
      InstalledService.Sample start, InstalledService.Sample end) {
    return new InstalledService.Measurement(
        start, end, (end.cpuMs() - start.cpuMs()) * 60_000 / idle.toMillis());
  }

  /**
   * The training run: the shipped flags plus {@code -XX:ArchiveClassesAtExit}, through a start, a
   * poll and a real apply (a new release), so the archive holds the classes of all three; the JVM
   * writes it when systemd stops the service.
   */
  private void trainArchive(InstalledService agent, List<String> shipped) throws Exception {
    say("AppCDS training run: -XX:ArchiveClassesAtExit=" + ARCHIVE);
    server.execOrThrow("install", "-d", "-m", "0755", "/var/cache/pulley");
    agent.restartWith(Optional.of(with(shipped, "-XX:ArchiveClassesAtExit=" + ARCHIVE)));
    repository.release("2");
    applyHello("Hello again");
    agent.stop();
    ExecResult size = server.exec("stat", "-c", "%s", ARCHIVE);
    if (!size.ok()) {
      throw new IllegalStateException("no archive written at exit:\n" + agent.journalTail());
    }
    System.out.printf(
        Locale.ROOT, "archive %s: %.1f MB%n", ARCHIVE, Long.parseLong(size.stdout().strip()) / 1e6);
  }

  private String table() {
    StringBuilder out = new StringBuilder();
    out.append("| variant | RSS MB | PSS MB | start-up CPU ms | idle CPU ms/min | threads |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    rows.forEach(row -> out.append(row.markdown()).append('\n'));
    out.append("\nFlags per variant:\n");
    rows.forEach(
        row ->
            out.append("- ")
                .append(row.name())
                .append(": `")
                .append(row.flags().isEmpty() ? "(none)" : String.join(" ", row.flags()))
                .append("`")
                .append(row.note().isEmpty() ? "" : " (" + row.note() + ")")
                .append('\n'));
    return out.toString();
  }

  private static String with(List<String> flags, String extra) {
    List<String> all = new ArrayList<>(flags);
    all.add(extra);
    return String.join(" ", all);
  }

  private static String without(List<String> flags, String... removed) {
    List<String> kept = new ArrayList<>(flags);
    for (String flag : removed) {
      if (!kept.remove(flag)) {
        throw new IllegalStateException("the shipped flags have no " + flag + ": " + flags);
      }
    }
    return String.join(" ", kept);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(CONVERGE);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // Not yet: the service may still be starting.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("timed out after " + CONVERGE + " waiting until " + what);
  }

  private static Duration seconds(String[] args, int i) {
    if (i >= args.length || !args[i].matches("[0-9]{1,5}") || Integer.parseInt(args[i]) == 0) {
      throw new IllegalArgumentException(
          args[i - 1]
              + " needs a whole number of seconds > 0, got "
              + (i < args.length ? args[i] : "nothing"));
    }
    return Duration.ofSeconds(Integer.parseInt(args[i]));
  }

  private static void say(String text) {
    System.out.println();
    System.out.println("== " + text);
  }

  private record Row(
      String name, List<String> flags, InstalledService.Measurement measured, String note) {
    String markdown() {
      return String.format(
          Locale.ROOT,
          "| %s | %.1f | %.1f | %,d | %,d | %d |",
          name,
          measured.end().rssKb() / 1024.0,
          measured.end().pssKb() / 1024.0,
          measured.settled().cpuMs(),
          measured.idleCpuMsPerMinute(),
          measured.end().threads());
    }
  }
}
